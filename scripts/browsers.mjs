// Finds the three browser engines the tests run in, and the redis-server and
// prometheus (with its promtool) the server's tests start, installing Debian's packages when they are missing and
// we may (root, apt-get), and otherwise saying in one line what to install.
import {execFileSync, spawnSync} from 'node:child_process';
import {accessSync, constants} from 'node:fs';

/**
 * Chromium's flags for our machines: as root it needs --no-sandbox, and the
 * network is closed, so its background calls only add noise.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const DEBIAN_PACKAGES = [
  'chromium',
  'firefox-esr',
  'webkit2gtk-driver',
  'xvfb',
  'xauth',
  'redis-server',
  'prometheus',
];

const MINIBROWSER_PATHS = [
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.0/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.0/MiniBrowser',
];

function executable(path) {
  if (!path) return undefined;
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}

function which(name) {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], {encoding: 'utf8'});
  return found.status === 0 ? found.stdout.trim() : undefined;
}

const first = (candidates) => candidates.map((c) => c()).find(Boolean);

/** Where each engine is, or undefined for the missing ones. */
export function locateBrowsers() {
  const webkitDriver = which('WebKitWebDriver');
  const miniBrowser = first([
    () => executable(process.env.WEBKIT_BROWSER_PATH),
    ...MINIBROWSER_PATHS.map((path) => () => executable(path)),
  ]);
  return {
    chromium: first([
      () => executable(process.env.CHROME_PATH),
      () => which('chromium'),
      () => which('chromium-browser'),
      () => which('google-chrome-stable'),
      () => which('google-chrome'),
    ]),
    firefox: first([
      () => executable(process.env.FIREFOX_PATH),
      () => which('firefox-esr'),
      () => which('firefox'),
    ]),
    webkit:
      webkitDriver && miniBrowser
        ? {driver: webkitDriver, browser: miniBrowser}
        : undefined,
    xvfbRun: which('xvfb-run'),
    redisServer: first([
      () => executable(process.env.REDIS_SERVER),
      () => which('redis-server'),
    ]),
    // Debian's prometheus package ships both: the server the metrics test scrapes with, and promtool for the alert rules.
    prometheus: first([
      () => executable(process.env.PROMETHEUS),
      () => which('prometheus'),
    ]),
    promtool: first([() => executable(process.env.PROMTOOL), () => which('promtool')]),
  };
}

const missingOf = (found, wanted) =>
  wanted
    .filter((name) => !found[name])
    .concat(
      wanted.includes('webkit') && !found.xvfbRun && !process.env.DISPLAY
        ? ['xvfb-run']
        : [],
      found.redisServer ? [] : ['redis-server'],
      found.prometheus ? [] : ['prometheus'],
      found.promtool ? [] : ['promtool'],
    );

/** Finds the wanted engines, redis-server and prometheus, installing them with apt-get where that is allowed. Exits when it cannot. */
export function ensureTestTools(wanted) {
  let found = locateBrowsers();
  let missing = missingOf(found, wanted);
  if (missing.length === 0) return found;

  const canInstall = process.getuid?.() === 0 && which('apt-get');
  if (canInstall) {
    console.log(
      `otp-step: installing ${DEBIAN_PACKAGES.join(' ')} (missing: ${missing.join(', ')})`,
    );
    const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
    try {
      execFileSync('apt-get', ['update', '-qq'], {stdio: 'inherit', env});
      execFileSync('apt-get', ['install', '-y', '-qq', ...DEBIAN_PACKAGES], {
        stdio: 'inherit',
        env,
      });
    } catch {
      // Reported below together with whatever is still missing.
    }
    found = locateBrowsers();
    missing = missingOf(found, wanted);
    if (missing.length === 0) return found;
  }
  console.error(
    `otp-step: no ${missing.join(', ')} found: install them (Debian: sudo apt-get install ${DEBIAN_PACKAGES.join(' ')}), or set CHROME_PATH / FIREFOX_PATH / REDIS_SERVER / PROMETHEUS / PROMTOOL, or choose engines with OTP_STEP_BROWSERS=chromium`,
  );
  process.exit(1);
}
