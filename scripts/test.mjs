// `npm test`: the whole suite. The step flow's and the reference server's tests in Node
// (node --test), on the memory store (through the Fetch and the Node adapter) and on a real redis-server
// started for them (the cluster's own file on a six-node Redis Cluster), then the browser
// tests in Chromium, Firefox and WebKit: finds (or installs) the browsers, redis-server and
// prometheus, starts WebKitWebDriver, and
// runs @web/test-runner, under a virtual display where WebKit needs one; last, the
// integration suite (the packed package in fresh apps), unless OTP_STEP_INTEGRATION=0.
import {spawn, spawnSync} from 'node:child_process';
import {freePort} from './free-port.mjs';
import {mkdirSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {startRedisCluster} from './redis-cluster.mjs';
import {ensureTestTools} from './browsers.mjs';
import {COUNT_FILE} from './count-reporter.mjs';

const wanted = (process.env.OTP_STEP_BROWSERS ?? 'chromium,firefox,webkit')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = wanted.filter(
  (name) => !['chromium', 'firefox', 'webkit'].includes(name),
);
if (unknown.length) {
  console.error(
    `otp-step: OTP_STEP_BROWSERS names unknown engines: ${unknown.join(', ')} (use chromium, firefox, webkit)`,
  );
  process.exit(1);
}

const found = ensureTestTools(wanted);

// Declared before the run below starts (it may start at once, from this module's body).
/** The cluster's own test file: it runs once, on the cluster pass, not on every store. */
const CLUSTER_TESTS = 'build/node/server/test/redis-cluster.test.js';

async function waitForDriver(port) {
  for (let i = 0; i < 100; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`WebKitWebDriver did not start on port ${port}`);
}

// MiniBrowser needs a display; without one its session times out after 30 s. Both
// WebKitWebDriver (which starts MiniBrowser) and the runner go under one virtual display.
if (wanted.includes('webkit') && !process.env.DISPLAY) {
  const child = spawn(found.xvfbRun, ['-a', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  forwardSignals(child);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await run();
}

function forwardSignals(child, cleanUp = () => {}) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      child.kill(signal);
      cleanUp();
    });
  }
}

/** Compiles the server (for the tests' dev server), its tests and the flow's Node tests. */
function compileServer() {
  // From clean: a test file renamed or removed must not run on from an old build.
  rmSync('build/node', {recursive: true, force: true});
  for (const project of ['tsconfig.server.json', 'tsconfig.server-test.json']) {
    const compiled = spawnSync('node_modules/.bin/tsc', ['-p', project], {
      stdio: 'inherit',
    });
    if (compiled.status !== 0) {
      console.error(`otp-step: ${project} does not compile`);
      process.exit(1);
    }
  }
}

/** Runs Node test files (the server's, on the store `env` names; the flow's), and counts them. */
function runNodeSuite(name, env, dirs) {
  console.log(`\n# Node tests, ${name} store\n`);
  const tap = `node_modules/.cache/otp-step/node-tests-${name}.tap`;
  mkdirSync('node_modules/.cache/otp-step', {recursive: true});
  const run = spawnSync(
    process.execPath,
    [
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...dirs,
    ],
    // The reference server shows codes (test mode) only under NODE_ENV=development or test.
    {
      stdio: 'inherit',
      // The metrics tests run the prometheus and promtool found above.
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PROMETHEUS: found.prometheus,
        PROMTOOL: found.promtool,
        ...env,
      },
    },
  );
  const summary = readFileSync(tap, 'utf8');
  const count = (name) =>
    Number(new RegExp(`^# ${name} (\\d+)`, 'm').exec(summary)?.[1] ?? 0);
  return {
    ok: run.status === 0,
    passed: count('pass'),
    failed: count('fail') + count('cancelled'),
    skipped: count('skipped') + count('todo'),
  };
}

/** The server's test files, but the cluster's. */
function serverTestFiles() {
  return readdirSync('build/node/server/test')
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => `build/node/server/test/${name}`)
    .filter((file) => file !== CLUSTER_TESTS);
}

/** The runs of the server's suite: the memory store, then a real Redis, then a Redis Cluster. */
async function runNodeSuites() {
  compileServer();
  // The flow's tests (no store of the server's) run once, with the memory pass.
  const memory = runNodeSuite('memory', {}, [
    ...serverTestFiles(),
    'build/node/server/notify/test/',
    'build/node/server/human/test/',
    'build/node/test/',
  ]);
  // The same tests again through the Node adapter (toNodeListener), the handler's other front door.
  const viaNode = runNodeSuite(
    'memory-node-adapter',
    {OTP_TEST_ADAPTER: 'node'},
    serverTestFiles(),
  );
  const {startRedis} = await import('../build/node/server/test/redis-server.js');
  const redis = await startRedis();
  try {
    const onRedis = runNodeSuite(
      'redis',
      {OTP_TEST_REDIS_URL: redis.url},
      serverTestFiles(),
    );
    const onCluster = await runClusterSuite();
    const runs = [memory, viaNode, onRedis, onCluster];
    const sum = (key) => runs.reduce((total, run) => total + run[key], 0);
    return {
      ok: runs.every((run) => run.ok),
      passed: sum('passed'),
      failed: sum('failed'),
      skipped: sum('skipped'),
      memory,
      viaNode,
      onRedis,
      onCluster,
    };
  } finally {
    await redis.stop();
  }
}

/** The cluster's tests on six redis-server nodes in cluster mode (scripts/redis-cluster.mjs). */
async function runClusterSuite() {
  const cluster = await startRedisCluster();
  try {
    return runNodeSuite(
      'redis-cluster',
      {OTP_TEST_REDIS_CLUSTER: cluster.nodes.join(',')},
      [CLUSTER_TESTS],
    );
  } finally {
    await cluster.stop();
  }
}

async function run() {
  const node = await runNodeSuites();
  const env = {...process.env, OTP_STEP_BROWSERS: wanted.join(',')};
  if (found.chromium) env.CHROME_PATH = found.chromium;
  if (found.firefox) env.FIREFOX_PATH = found.firefox;

  let driver;
  if (wanted.includes('webkit')) {
    const port = await freePort();
    driver = spawn(found.webkit.driver, [`--port=${port}`], {stdio: 'ignore'});
    await waitForDriver(port);
    env.WEBKIT_DRIVER_PORT = String(port);
    env.WEBKIT_BROWSER_PATH = found.webkit.browser;
  }
  const stopDriver = () => driver?.kill();

  rmSync(COUNT_FILE, {force: true});
  const runner = spawn(
    'node_modules/.bin/wtr',
    ['--config', 'web-test-runner.config.mjs', ...process.argv.slice(2)],
    {stdio: 'inherit', env},
  );
  forwardSignals(runner, stopDriver);
  runner.on('exit', async (code, signal) => {
    stopDriver();
    printTotals(node);
    const integrated = await runIntegration(env);
    process.exit(!node.ok || !integrated ? 1 : (code ?? (signal ? 1 : 0)));
  });
}

/**
 * The integration suite (scripts/test-integration.mjs): the packed package in
 * fresh React, Vue, Angular, plain HTML and SSR apps, in Chromium. OTP_STEP_INTEGRATION=0
 * skips it, for quick loops.
 */
function runIntegration(env) {
  if (process.env.OTP_STEP_INTEGRATION === '0') {
    console.log('\nintegration: skipped (OTP_STEP_INTEGRATION=0)');
    return Promise.resolve(true);
  }
  const child = spawn(process.execPath, ['scripts/test-integration.mjs'], {
    stdio: 'inherit',
    env,
  });
  forwardSignals(child);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code === 0)));
}

/** The run's last line, Node and browsers together, in the plain form any reader can count. */
function printTotals(node) {
  let browsers = {passed: 0, failed: 1, skipped: 0};
  try {
    browsers = JSON.parse(readFileSync(COUNT_FILE, 'utf8'));
  } catch {
    console.log('\notp-step: the browser runner stopped before counting any test');
  }
  for (const [name, run] of [
    ['memory store', node.memory],
    ['memory store, Node adapter', node.viaNode],
    ['redis store', node.onRedis],
    ['redis cluster store', node.onCluster],
  ])
    console.log(
      `\nnode (${name}): ${run.passed} passed, ${run.failed} failed, ${run.skipped} skipped`,
    );
  console.log(
    `browsers: ${browsers.passed} passed, ${browsers.failed} failed, ${browsers.skipped} skipped`,
  );
  const total = (k) => node[k] + browsers[k];
  console.log(
    `\ntests: ${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`,
  );
}
