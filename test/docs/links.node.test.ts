// The README and the documents ship in the package, and are read there (npm's
// page, an editor's hover, node_modules/otp-step/): every link in them must
// work from the tarball. A relative link must name a file that exists and that
// package.json "files" ships, and a #fragment a heading of its page; anything
// else must be an absolute URL.
import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {dirname, join, normalize, relative} from 'node:path';
import {describe, it} from 'node:test';

// Paths from the repository's root, where npm test runs every Node test
// (the server's tests read docs/openapi.json the same way).
const root = process.cwd();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  files: string[];
};

/** Whether npm packs `path` (relative to the root): "files" entries are paths, folders or globs. */
function shipped(path: string): boolean {
  // npm packs these whatever "files" says.
  if (/^(README|LICENSE|LICENCE)(\.[^/]*)?$/i.test(path) || path === 'package.json')
    return true;
  return pkg.files.some((entry) => {
    const pattern = entry.replace(/\/+$/, '');
    if (!pattern.includes('*')) return path === pattern || path.startsWith(pattern + '/');
    const regex = pattern
      .split('**')
      .map((part) =>
        part
          .split('*')
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]*'),
      )
      .join('.*');
    return new RegExp(`^${regex}$`).test(path);
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .replace(/`/g, '')
    .replace(/<[^>]*>/g, (tag) => tag.replace(/[<>]/g, ''))
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');

/** The text of a page with its code (fenced blocks and inline spans) taken out. */
const prose = (markdown: string) =>
  markdown.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');

function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```$/gm, '');
  for (const [, heading] of text.matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const base = slug(heading!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n ? `${base}-${n}` : base);
  }
  return anchors;
}

/** Every link target of a page: inline links, images, reference definitions, <img src>. */
function targets(markdown: string): string[] {
  const text = prose(markdown);
  return [
    ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!),
    ...[...text.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]!),
    ...[...text.matchAll(/<(?:img|a)\s[^>]*?(?:src|href)="([^"]+)"/g)].map((m) => m[1]!),
  ];
}

const pages = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
].filter((page) => shipped(page) && existsSync(join(root, page)));

describe('links in the shipped documents', () => {
  it('covers the README and docs/sources.md', () => {
    assert.ok(
      pages.includes('README.md') && pages.includes('docs/sources.md'),
      `${pages}`,
    );
  });

  for (const page of pages) {
    it(`${page}: every link works from the package`, () => {
      const problems: string[] = [];
      for (const target of targets(readFileSync(join(root, page), 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
          if (!/^(https|mailto):/i.test(target)) problems.push(`${target}: not https`);
          continue;
        }
        const [path = '', fragment] = target.split('#');
        const file = path
          ? normalize(join(dirname(join(root, page)), path))
          : join(root, page);
        const name = relative(root, file).split('\\').join('/');
        if (name.startsWith('..')) problems.push(`${target}: outside the package`);
        else if (!existsSync(file)) problems.push(`${target}: no such file`);
        else if (!shipped(name))
          problems.push(`${target}: ${name} is not in package.json "files"`);
        else if (fragment && name.endsWith('.md') && !anchorsOf(file).has(fragment))
          problems.push(`${target}: no heading #${fragment} in ${name}`);
      }
      assert.deepEqual(
        problems,
        [],
        `${page} has links that do not work from the tarball`,
      );
    });
  }
});
