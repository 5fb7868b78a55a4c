// Run by `prepack`, after the build: every file package.json names as an entry
// (main, module, types, bin, and each condition of each subpath of exports) must
// be there, or the pack stops with one line naming what is missing. Without it,
// `npm pack` or `npm publish` from an unbuilt checkout ships a package with no
// dist/ and says nothing. A `*` in a target (a subpath pattern) must match at
// least one file. `node scripts/check-pack.mjs [dir]` checks dir's package.json
// (the current folder's by default).
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join, relative, resolve, sep} from 'node:path';
import {pathToFileURL} from 'node:url';

/**
 * The files package.json names, each with where it is named
 * (`exports["./class"].types`), in the order they appear.
 */
export function namedFiles(pkg) {
  const named = [];
  for (const field of ['main', 'module', 'types', 'typings'])
    if (typeof pkg[field] === 'string') named.push({where: field, target: pkg[field]});
  if (typeof pkg.bin === 'string') named.push({where: 'bin', target: pkg.bin});
  else if (pkg.bin && typeof pkg.bin === 'object')
    for (const [name, target] of Object.entries(pkg.bin))
      named.push({where: `bin[${JSON.stringify(name)}]`, target});
  collectExports(pkg.exports, 'exports', named);
  return named;
}

/** Walks an exports value: a target string, a list of fallbacks, or an object of subpaths or conditions. */
function collectExports(value, where, named) {
  if (typeof value === 'string') named.push({where, target: value});
  else if (Array.isArray(value))
    value.forEach((item, i) => collectExports(item, `${where}[${i}]`, named));
  // null is a valid target: it hides a subpath, so there is no file to check.
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value))
      collectExports(item, `${where}[${JSON.stringify(key)}]`, named);
}

/** Every file under dir, as paths relative to dir with forward slashes. */
function filesUnder(dir, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' ? [] : filesUnder(path, base);
    return [relative(base, path).split(sep).join('/')];
  });
}

/** Whether target (relative to root) is a file, or, with a `*`, matches at least one. */
function exists(root, target) {
  if (!target.includes('*')) return existsSync(resolve(root, target));
  const clean = target.replace(/^\.\//, '');
  // As in Node's subpath patterns, `*` stands for any string, slashes included.
  const pattern = new RegExp(
    '^' +
      clean
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.+') +
      '$',
  );
  // Only the folder before the first `*` is walked, not the whole repository.
  const fixed = clean.slice(0, clean.indexOf('*'));
  const folder = fixed.includes('/') ? fixed.slice(0, fixed.lastIndexOf('/')) : '';
  return filesUnder(join(root, folder)).some((file) =>
    pattern.test(folder ? `${folder}/${file}` : file),
  );
}

/** The entries of dir's package.json whose file is missing. */
export function missingFiles(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return namedFiles(pkg).filter(({target}) => !exists(dir, target));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = resolve(process.argv[2] ?? '.');
  const missing = missingFiles(dir);
  if (missing.length) {
    // One line, however many are missing: the distinct files, the first few named.
    const key = (target) => target.replace(/^\.\//, '');
    const files = [...new Set(missing.map(({target}) => key(target)))];
    const shown = files.slice(0, 4).map((target) => {
      const where = missing.filter((entry) => key(entry.target) === target);
      return `${target} (${where.map((entry) => entry.where).join(', ')})`;
    });
    if (files.length > shown.length)
      shown.push(`and ${files.length - shown.length} more`);
    console.error(
      `otp-step: not packing: package.json names ${files.length} missing file${files.length === 1 ? '' : 's'}, run \`npm run build\` first: ${shown.join('; ')}`,
    );
    process.exit(1);
  }
}
