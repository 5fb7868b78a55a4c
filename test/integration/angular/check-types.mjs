// After `ng build`: compiles src/type-checks.ts with ngc (the same strict
// templates) and passes only if it fails with exactly the errors its template
// marks with `<!-- error: … -->`, each once.
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';

const expected = [
  ...readFileSync('src/type-checks.ts', 'utf8').matchAll(/<!-- error: (.+?) -->/g),
].map((match) => match[1]);
const run = spawnSync('node_modules/.bin/ngc', ['-p', 'tsconfig.type-checks.json'], {
  encoding: 'utf8',
});
// ngc colours its messages even into a pipe; they are matched as text.
const colour = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const output = (run.stdout + run.stderr).replace(colour, '');
const errors = [...output.matchAll(/error TS\d+: (.+)/g)].map((match) => match[1].trim());
const missing = expected.filter((text) => !errors.includes(text));
const unexpected = errors.filter((text) => !expected.includes(text));
if (
  run.status === 0 ||
  missing.length ||
  unexpected.length ||
  errors.length !== expected.length
) {
  console.error(
    `type-checks.ts: expected ${expected.length} template errors, got ${errors.length}` +
      (missing.length ? `\nmissing: ${missing.join(' | ')}` : '') +
      (unexpected.length ? `\nunexpected: ${unexpected.join(' | ')}` : '') +
      `\n${output}`,
  );
  process.exit(1);
}
console.log(`type-checks.ts: the ${expected.length} expected template errors, no other`);
