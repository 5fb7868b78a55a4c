// scripts/check-pack.mjs, which prepack runs after the build: on a package.json
// in a temporary folder, run as prepack runs it and through a real `npm pack`,
// so what is held is what a person packing an unbuilt checkout would see.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {afterEach, beforeEach, describe, it} from 'node:test';

// Paths from the repository's root, where npm test runs every Node test.
const CHECK = resolve('scripts/check-pack.mjs');

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'otp-step-check-pack-'));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

/** Writes package.json (with prepack running the check) and the given files into the folder. */
function write(pkg: Record<string, unknown>, files: string[]): void {
  const full = {
    name: 'check-pack-fixture',
    version: '1.0.0',
    scripts: {prepack: `node ${JSON.stringify(CHECK)}`},
    ...pkg,
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(full));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), {recursive: true});
    writeFileSync(join(dir, file), '');
  }
}

/** Runs the check on the folder, as prepack does (from the package's folder). */
function check(): {status: number | null; stderr: string; stdout: string} {
  const run = spawnSync(process.execPath, [CHECK], {cwd: dir, encoding: 'utf8'});
  return {status: run.status, stderr: run.stderr, stdout: run.stdout};
}

const EVERY_FIELD = {
  main: 'dist/index.js',
  module: './dist/index.js',
  types: 'dist/index.d.ts',
  bin: {'fixture-cli': 'dist/cli.js'},
  exports: {
    '.': {types: './dist/index.d.ts', import: './dist/index.js'},
    './server': {
      node: {types: './dist/server.d.ts', default: './dist/server.js'},
      default: './dist/server-browser.js',
    },
    './internal/*': null,
    './parts/*': './dist/parts/*.js',
    './package.json': './package.json',
  },
};
const EVERY_FILE = [
  'dist/index.js',
  'dist/index.d.ts',
  'dist/cli.js',
  'dist/server.d.ts',
  'dist/server.js',
  'dist/server-browser.js',
  'dist/parts/deep/a.js',
];

describe('scripts/check-pack.mjs', () => {
  it('passes, silently, when every file package.json names is there', () => {
    write(EVERY_FIELD, EVERY_FILE);
    assert.deepEqual(check(), {status: 0, stderr: '', stdout: ''});
  });

  it('fails with one line naming a missing file of a nested exports condition', () => {
    write(
      EVERY_FIELD,
      EVERY_FILE.filter((file) => file !== 'dist/server.d.ts'),
    );
    const {status, stderr} = check();
    assert.equal(status, 1);
    assert.equal(
      stderr,
      'otp-step: not packing: package.json names 1 missing file, run `npm run build` first: ' +
        'dist/server.d.ts (exports["./server"]["node"]["types"])\n',
    );
  });

  it('names main, module, types, bin and a string exports, each where it is named', () => {
    write(
      {
        main: 'dist/main.js',
        module: 'dist/module.js',
        types: 'dist/types.d.ts',
        bin: './dist/cli.js',
        exports: './dist/main.js',
      },
      [],
    );
    const {status, stderr} = check();
    assert.equal(status, 1);
    assert.equal(stderr.split('\n').length, 2, 'one line');
    assert.match(stderr, /names 4 missing files/);
    assert.match(stderr, /dist\/main\.js \(main, exports\)/);
    assert.match(stderr, /dist\/module\.js \(module\)/);
    assert.match(stderr, /dist\/types\.d\.ts \(types\)/);
    assert.match(stderr, /dist\/cli\.js \(bin\)/);
  });

  it('fails a subpath pattern that matches no file', () => {
    write(
      EVERY_FIELD,
      EVERY_FILE.filter((file) => !file.startsWith('dist/parts/')),
    );
    const {status, stderr} = check();
    assert.equal(status, 1);
    assert.match(
      stderr,
      /1 missing file.*dist\/parts\/\*\.js \(exports\["\.\/parts\/\*"\]\)/,
    );
  });

  it('lists the first four missing files and counts the rest, on one line', () => {
    write(EVERY_FIELD, []);
    const {status, stderr} = check();
    assert.equal(status, 1);
    assert.equal(stderr.split('\n').length, 2, 'one line');
    assert.match(stderr, /names 7 missing files/);
    assert.match(stderr, /; and 3 more\n$/);
  });

  it('stops a real `npm pack`: no tarball is written', () => {
    write(
      EVERY_FIELD,
      EVERY_FILE.filter((file) => file !== 'dist/cli.js'),
    );
    const out = join(dir, 'out');
    mkdirSync(out);
    const pack = spawnSync('npm', ['pack', '--pack-destination', out], {
      cwd: dir,
      encoding: 'utf8',
      // The npm_* variables of an `npm test` around us would point npm at our repository.
      env: Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)),
      ),
    });
    assert.notEqual(pack.status, 0);
    assert.match(pack.stderr, /not packing: .*dist\/cli\.js \(bin\["fixture-cli"\]\)/);
    assert.deepEqual(readdirSync(out), []);
  });
});
