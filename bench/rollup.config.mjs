// One rollup setup for every entry, ours and the peers', so their sizes compare.
import commonjs from '@rollup/plugin-commonjs';
import resolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import {minify} from '../scripts/bundle-plugins.mjs';

export const ENTRIES = [
  'lit',
  'lit-modal',
  'otp-step',
  'otp-input',
  'input-otp',
  'ionic',
  'zag',
  'shoelace',
];

export default ENTRIES.map((name) => ({
  input: `bench/entries/${name}.js`,
  output: {file: `bench/dist/${name}.js`, format: 'es', inlineDynamicImports: true},
  onwarn: (warning, warn) => {
    // React and Ionic ship "use client" and eval-free this-rewrites: noise here.
    if (
      ['MODULE_LEVEL_DIRECTIVE', 'THIS_IS_UNDEFINED', 'CIRCULAR_DEPENDENCY'].includes(
        warning.code,
      )
    )
      return;
    warn(warning);
  },
  plugins: [
    replace({
      preventAssignment: true,
      values: {'process.env.NODE_ENV': JSON.stringify('production')},
    }),
    resolve({browser: true, exportConditions: ['production']}),
    commonjs(),
    minify(),
  ],
}));
