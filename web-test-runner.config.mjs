// Browser tests: Chromium, Firefox and WebKit, all from Debian's packages.
// `npm test` (scripts/test.mjs) finds the browsers and starts WebKitWebDriver,
// then runs this config with their whereabouts in the environment.
import {esbuildPlugin} from '@web/dev-server-esbuild';
import {defaultReporter} from '@web/test-runner';
import {chromeLauncher} from '@web/test-runner-chrome';
import {webdriverLauncher} from '@web/test-runner-webdriver';
import * as puppeteerCore from 'puppeteer-core';
import {CHROMIUM_ARGS} from './scripts/browsers.mjs';
import {countReporter} from './scripts/count-reporter.mjs';
import {otpDevMiddleware} from './scripts/otp-dev-middleware.mjs';
import {otpMailMiddleware} from './scripts/otp-mail-middleware.mjs';
import {otpHumanMiddleware} from './scripts/otp-human-middleware.mjs';
import {startOtpService} from './scripts/otp-service-for-tests.mjs';
import {mediaPlugin} from './scripts/media-plugin.mjs';
import {viewportPlugin} from './scripts/viewport-plugin.mjs';

// The reference server shows codes (test mode) only in development and tests.
process.env.NODE_ENV ??= 'test';

// The side service (npx otp-step-server), its own process, for test/service.test.ts.
const otpService = await startOtpService();

// The reference server's info and warn lines (a code confirmed, a challenge
// locked, no authenticate option given) are what the tests do on purpose; they
// would fill a green run. Its errors (a request it could not handle) would be
// news, and still print.
const testLogger = {
  info() {},
  warn() {},
  error: (message) => console.error(message),
};

const wanted = (process.env.OTP_STEP_BROWSERS ?? 'chromium,firefox,webkit').split(',');

const launchers = {
  chromium: () =>
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  // Firefox through WebDriver BiDi: no geckodriver needed.
  firefox: () =>
    chromeLauncher({
      puppeteer: puppeteerCore,
      launchOptions: {
        browser: 'firefox',
        executablePath: process.env.FIREFOX_PATH,
        headless: true,
      },
    }),
  webkit: () =>
    webdriverLauncher({
      hostname: 'localhost',
      port: Number(process.env.WEBKIT_DRIVER_PORT),
      path: '/',
      capabilities: {
        browserName: 'MiniBrowser',
        'wdio:enforceWebDriverClassic': true,
        'webkitgtk:browserOptions': {
          binary: process.env.WEBKIT_BROWSER_PATH,
          args: ['--automation'],
        },
      },
    }),
};

export default {
  // *.node.test.ts run in Node (scripts/test.mjs), not in browsers.
  files: ['test/**/*.test.ts', '!test/**/*.node.test.ts'],
  nodeResolve: true,
  // The backend the element talks to in tests: the reference server, over real HTTP.
  middleware: [
    otpService.middleware,
    otpDevMiddleware({faults: true, logger: testLogger}),
    // Codes e-mailed to real SMTP servers on loopback, for test/delivery.test.ts.
    await otpMailMiddleware({faults: true, logger: testLogger}),
    // A server that asks for a bot check, for test/human-check.test.ts.
    await otpHumanMiddleware({logger: testLogger}),
  ],
  plugins: [
    esbuildPlugin({ts: true, target: 'es2022', tsconfig: './tsconfig.json'}),
    viewportPlugin(),
    mediaPlugin(),
  ],
  browsers: wanted.map((name) => launchers[name]()),
  // One test page at a time: keyboard input and animation frames go to the page in front.
  concurrency: 1,
  // Lit's one-line dev-mode notice, printed by every test file, hides the logs that matter.
  filterBrowserLogs: ({args}) => !String(args[0]).startsWith('Lit is in dev mode'),
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  testsFinishTimeout: 120000,
  testFramework: {config: {timeout: 10000}},
  reporters: [defaultReporter(), countReporter()],
};
