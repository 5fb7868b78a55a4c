// The size budget (run after `npm run build`): what every page that uses
// <otp-step> loads up front, and <otp-input> on its own. Fails when any budget
// is exceeded.
// dist/otp-step.js, our own code in it, and dist/otp-input.js, each against its
// budget in scripts/size-budgets.mjs. Chunks loaded only when used
// (the dialog, backend mode, other languages) are listed but not budgeted.
import {readdirSync, readFileSync, rmSync} from 'node:fs';
import {brotliCompressSync, constants} from 'node:zlib';
import {rollup} from 'rollup';
import {bundlePlugins, DEPENDENCIES} from './bundle-plugins.mjs';
import {SIZE_BUDGET} from './size-budgets.mjs';

const brotli = (bytes) =>
  brotliCompressSync(bytes, {params: {[constants.BROTLI_PARAM_QUALITY]: 11}}).length;

// Our own code: the same build with the dependencies left out.
const outDir = 'node_modules/.cache/otp-step/size';
const bundle = await rollup({
  input: 'src/otp-step.ts',
  external: (id) => DEPENDENCIES.test(id),
  preserveEntrySignatures: 'allow-extension',
  plugins: bundlePlugins(outDir),
});
const {output} = await bundle.generate({format: 'es', dir: outDir});
await bundle.close();
rmSync(outDir, {recursive: true, force: true});
const own = brotli(Buffer.from(output.find((o) => o.type === 'chunk' && o.isEntry).code));
const entry = brotli(readFileSync('dist/otp-step.js'));
const input = brotli(readFileSync('dist/otp-input.js'));

const rows = [
  ['dist/otp-step.js (lit and idb-keyval included)', entry, SIZE_BUDGET.entry],
  ['  our own code in it', own, SIZE_BUDGET.own],
  ...readdirSync('dist')
    .filter((f) => /^otp-step-.+\.js$/.test(f))
    .map((f) => [
      `  dist/${f} (loaded when used)`,
      brotli(readFileSync(`dist/${f}`)),
      undefined,
    ]),
  ['dist/otp-input.js (lit included)', input, SIZE_BUDGET.input],
];
let over = false;
for (const [name, size, budget] of rows) {
  const verdict =
    budget === undefined ? '' : size <= budget ? `≤ ${budget} ok` : `> ${budget} OVER`;
  over ||= budget !== undefined && size > budget;
  console.log(`${name.padEnd(58)} ${String(size).padStart(6)} B brotli  ${verdict}`);
}
if (over) {
  console.error('size budget exceeded: see above');
  process.exit(1);
}
console.log('size budget: met');
