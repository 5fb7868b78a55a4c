import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'build/',
      'bench/dist/',
      'coverage/',
      'custom-elements.json',
      // The integration apps' output, when one is built in place.
      'test/integration/*/dist/',
      'test/integration/*/build/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'demo/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'demo/**/*.ts'],
    ...wc.configs['flat/recommended'],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'demo/**/*.ts'],
    languageOptions: {globals: globals.browser},
    settings: {wc: {elementBaseClasses: ['LitElement']}},
    rules: {
      // `interface GlobalEventHandlersEventMap extends OtpStepEventMap {}` is how a
      // library adds its events to the DOM's typings.
      '@typescript-eslint/no-empty-object-type': [
        'error',
        {allowInterfaces: 'with-single-extends'},
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        {argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true},
      ],
    },
  },
  {
    // Benchmark entries run in the page; the runner hands functions to the page too.
    files: ['bench/**/*.js', 'bench/**/*.mjs'],
    languageOptions: {globals: {...globals.browser, ...globals.node}},
  },
  {
    files: ['test/**/*.ts', 'server/test/**/*.ts'],
    languageOptions: {globals: globals.mocha},
    rules: {
      // chai's `expect(x).to.be.true` is an expression statement by design.
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**/*.js', 'server/**/*.ts'],
    languageOptions: {globals: globals.node},
  },
);
