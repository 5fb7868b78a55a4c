// The one minifying setup: the published bundle, the size budget's measure of
// our own code, and the benchmark's entries are all built with it, so the
// numbers speak of what ships.
import {literalsHtmlCssMinifier} from '@literals/rollup-plugin-html-css-minifier';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

/** lit, idb-keyval and tslib: dependencies a bundler user shares with the rest of the app. */
export const DEPENDENCIES = /^(lit|@lit|idb-keyval|tslib)(\/|$)/;

export const minify = () =>
  terser({ecma: 2022, module: true, compress: {passes: 2}, format: {comments: false}});

/** src/ compiled and minified, templates included, into `outDir`. */
export const bundlePlugins = (outDir) => [
  // The production build of lit, without dev-mode warnings.
  resolve({exportConditions: ['production']}),
  typescript({tsconfig: './tsconfig.build.json', declaration: false, outDir}),
  // White space in html`` and css`` templates is bytes every page pays for.
  literalsHtmlCssMinifier(),
  minify(),
];
