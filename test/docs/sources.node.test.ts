// docs/sources.md shows its example as code blocks; the same code lives in
// docs/examples/, where `npm run typecheck` checks it against the package's types.
// This test keeps the two the same, so what the page shows is what was checked.
// Each block is preceded by a marker naming what it must match:
//   <!-- file: examples/verify-source.ts -->   the whole file, exactly
//   <!-- excerpt: ../src/sources/code-source.ts -->   lines found as they are in that file
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {describe, it} from 'node:test';

interface Block {
  kind: 'file' | 'excerpt' | undefined;
  path: string;
  code: string;
  line: number;
}

/** The fenced code blocks of a Markdown text, each with the marker just before it. */
function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  const fence = /^(?:<!-- (file|excerpt): (\S+) -->\n\n?)?```\w*\n([\s\S]*?)^```$/gm;
  for (const match of markdown.matchAll(fence)) {
    found.push({
      kind: match[1] as Block['kind'],
      path: match[2] ?? '',
      code: match[3]!,
      line: markdown.slice(0, match.index).split('\n').length,
    });
  }
  return found;
}

// Paths from the repository's root, where npm test runs every Node test
// (the server's tests read docs/openapi.json the same way).
const root = process.cwd();
const docs = join(root, 'docs');
const markdown = readFileSync(join(docs, 'sources.md'), 'utf8');
const found = blocks(markdown);

describe('docs/sources.md', () => {
  it('has code blocks, each marked with the file it shows', () => {
    assert.ok(found.length > 0, 'no code blocks found');
    for (const block of found) {
      assert.ok(
        block.kind,
        `docs/sources.md:${block.line}: a code block with no <!-- file: … --> or <!-- excerpt: … --> marker before it`,
      );
    }
  });

  for (const block of found.filter((b) => b.kind)) {
    const file = join(docs, block.path);
    const name = relative(root, file);
    it(`shows ${name} ${block.kind === 'file' ? 'whole and as it is' : 'in part, as it is'} (line ${block.line})`, () => {
      const text = readFileSync(file, 'utf8');
      if (block.kind === 'file') {
        assert.equal(
          block.code,
          text,
          `docs/sources.md:${block.line} differs from ${name}: copy the file into the block`,
        );
      } else {
        assert.ok(
          text.includes(block.code),
          `docs/sources.md:${block.line} is not a part of ${name} as it stands: copy it again`,
        );
      }
    });
  }

  it('shows every example file in docs/examples/', () => {
    const shown = new Set(found.filter((b) => b.kind === 'file').map((b) => b.path));
    const files = readdirSync(join(docs, 'examples')).filter((f) => f.endsWith('.ts'));
    for (const file of files) {
      assert.ok(
        shown.has(`examples/${file}`),
        `docs/examples/${file} is not shown in docs/sources.md`,
      );
    }
  });
});
