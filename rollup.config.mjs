// Three builds from src/:
// - dist/otp-step.js: one minified ES module with lit and idb-keyval inside, for a
//   plain <script type="module"> or a CDN;
// - dist/otp-input.js: <otp-input> alone, the same way, lit inside; a build of its
//   own, so it shares no chunk with dist/otp-step.js and leaves that file as it was;
// - dist/lib/: unbundled ES modules and .d.ts files for bundler users, with lit and
//   idb-keyval (and tslib's decorator helper) left as dependencies, so an app
//   ships one copy of each.
import {rmSync} from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import {literalsHtmlCssMinifier} from '@literals/rollup-plugin-html-css-minifier';
import {bundlePlugins, DEPENDENCIES} from './scripts/bundle-plugins.mjs';

// Chunk names carry a hash: start from an empty dist/ so no stale chunk ships.
rmSync('dist', {recursive: true, force: true});

const input = 'src/otp-step.ts';
const otpInput = 'src/input/otp-input.ts';
const frameworks = ['react', 'jsx-react', 'jsx-preact', 'vue', 'svelte'].map(
  (name) => `src/frameworks/${name}.ts`,
);
/** React itself, which the wrappers in dist/lib/frameworks/react.js import. */
const REACT = /^react(\/|$)/;

export default [
  {
    input,
    // The chunks loaded later import from the entry itself, rather than from a
    // shared chunk behind a one-line facade.
    preserveEntrySignatures: 'allow-extension',
    // Parts loaded only when used (backend mode, other languages) go to chunks beside it.
    output: {
      dir: 'dist',
      entryFileNames: 'otp-step.js',
      chunkFileNames: 'otp-step-[name]-[hash].js',
      format: 'es',
      sourcemap: false,
    },
    plugins: bundlePlugins('dist'),
  },
  {
    input: otpInput,
    output: {file: 'dist/otp-input.js', format: 'es', sourcemap: false},
    plugins: bundlePlugins('dist'),
  },
  {
    input: [input, otpInput, ...frameworks],
    external: (id) => DEPENDENCIES.test(id) || REACT.test(id),
    output: {
      dir: 'dist/lib',
      format: 'es',
      preserveModules: true,
      preserveModulesRoot: 'src',
    },
    // The typings' modules are empty by design: what they hold is in their .d.ts.
    onwarn(warning, warn) {
      if (warning.code !== 'EMPTY_BUNDLE') warn(warning);
    },
    plugins: [typescript({tsconfig: './tsconfig.build.json'}), literalsHtmlCssMinifier()],
  },
];
