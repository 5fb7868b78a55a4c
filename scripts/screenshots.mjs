// `npm run screenshots`: builds dist/, serves dist/otp-step.js on a tiny page and
// photographs <otp-step> in each of its states, on a phone (375px) and a desktop
// (1280px), light and dark, with the Chromium that scripts/browsers.mjs finds.
// Writes screenshots/<state>-<width>-<scheme>.png (gitignored); the README shows
// copies of three of them from docs/images/. SCREENSHOTS_NO_BUILD=1 skips the build.
/* global document, customElements -- in page.evaluate(), run in the page */
import {execFileSync} from 'node:child_process';
import {mkdirSync, readFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {decodeBase32IgnorePadding} from '@oslojs/encoding';
import {generateHOTP} from '@oslojs/otp';
import puppeteer from 'puppeteer-core';
import {CHROMIUM_ARGS, locateBrowsers} from './browsers.mjs';
import {freePort} from './free-port.mjs';

const OUT = 'screenshots';
const VIEWPORTS = [
  {width: 375, height: 740},
  {width: 1280, height: 800},
];
const SCHEMES = ['light', 'dark'];

if (!process.env.SCREENSHOTS_NO_BUILD)
  execFileSync('npm', ['run', '--silent', 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });

const executablePath = locateBrowsers().chromium;
if (!executablePath) {
  console.error(
    'screenshots: no Chromium found (apt-get install chromium, or set CHROME_PATH)',
  );
  process.exit(1);
}

/** A sign-in page, as a site would have it, with the element's attributes from the query. */
const page = (attributes) => `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>otp-step</title>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: Canvas; color: CanvasText; }
  main { max-width: 28rem; margin: 3rem auto; padding: 0 1.25rem; }
  h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
</style>
<main>
  <h1>Sign in</h1>
  <p>Password accepted. One more step: a code.</p>
  <otp-step ${attributes}></otp-step>
</main>
<script type="module" src="/dist/otp-step.js"></script>
</html>`;

// The authenticator's states: the reference server with the authenticator factor
// at /totp/ (dist/node, which `npm run build` does not make: build:server first),
// the signed-in user in the x-session-user header the page's element sends.
const {createOtpHandler, toNodeListener} = await import('../dist/node/server/index.js');
const totp = toNodeListener(
  createOtpHandler({
    secret: crypto.getRandomValues(new Uint8Array(32)),
    authenticate: (request) => request.headers.get('x-session-user'),
    authenticator: {issuer: 'Example Bank'},
    // No code is sent in these states: the app's codes are the person's.
    notify: () => {},
    logger: {info() {}, warn() {}, error: console.error},
  }),
);

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname.startsWith('/totp/')) return void totp(req, res);
  if (url.pathname.startsWith('/dist/')) {
    try {
      const body = readFileSync(`.${url.pathname}`);
      res.writeHead(200, {'content-type': 'text/javascript'});
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
    return;
  }
  // A backend that never answers: the element stays busy issuing a code.
  if (url.pathname.startsWith('/hang')) return;
  // A backend that sends codes: /sending/{sent|failed}/codes answers with where the
  // code went; its status read says how sending went.
  // A backend that always asks for a bot check (428), as under suspicion with a page
  // whose humanCheck fails: the error a person then sees.
  if (url.pathname === '/human/codes') {
    res.writeHead(428, {'content-type': 'application/problem+json'});
    res.end(
      JSON.stringify({
        type: 'urn:otp-step:problem:human-check-required',
        title: 'Precondition Required',
        status: 428,
        code: 'human-check-required',
        detail:
          'Take the bot check and send its token as "humanToken" with this request.',
      }),
    );
    return;
  }
  // A backend whose code was canceled elsewhere (the app's cancel, another tab):
  // issuing works, confirming answers 410 canceled.
  if (url.pathname === '/canceled/codes') return answerSending(res, 'sent', true);
  if (url.pathname.startsWith('/canceled/codes/')) {
    res.writeHead(410, {'content-type': 'application/problem+json'});
    res.end(
      JSON.stringify({
        type: 'urn:otp-step:problem:canceled',
        title: 'Gone',
        status: 410,
        code: 'canceled',
        detail: 'This code was canceled; ask for a new one.',
      }),
    );
    return;
  }
  const sending = /^\/sending\/(sent|failed)\/codes(\/[^/]+)?$/.exec(url.pathname);
  if (sending) return answerSending(res, sending[1], !sending[2]);
  res.writeHead(200, {'content-type': 'text/html; charset=utf-8'});
  res.end(page(url.searchParams.get('a') ?? ''));
});
/** The issue answer (or status) of a server that sends by e-mail and could also send by SMS. */
function answerSending(res, outcome, issuing) {
  const now = Date.now();
  const body = {
    requestId: 'screenshot-request',
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 300_000).toISOString(),
    expiresIn: 300,
    ...(issuing
      ? {resendAt: new Date(now + 30_000).toISOString(), resendIn: 30}
      : {resendIn: 0}),
    attemptsLeft: 5,
    resendsLeft: 3,
    channel: 'email',
    destinationHint: 'a•••@example.com',
    ...(issuing
      ? {channels: ['email', 'sms'], delivery: 'queued'}
      : {status: 'pending', delivery: outcome}),
  };
  res.writeHead(issuing ? 201 : 200, {'content-type': 'application/json'});
  res.end(JSON.stringify(body));
}

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
// Nothing listens there: a backend that is down.
const deadPort = await freePort();

let users = 0;
const user = () => `ada.lovelace+${++users}@example.com`;

/** In the page: clicks the trigger and waits for `event` (or just a while). */
const clickTrigger = (page, event) =>
  page.evaluate(
    (event) =>
      new Promise((resolve) => {
        const el = document.querySelector('otp-step');
        const done = () => setTimeout(resolve, 300);
        if (event) el.addEventListener(event, done, {once: true});
        el.shadowRoot.querySelector('[part~="trigger"]').click();
        if (!event) done();
      }),
    event,
  );

const testCode = (page) =>
  page.evaluate(() => document.querySelector('otp-step').forTestCode);

const wrong = (code) => code.replace(/^./, (c) => String((Number(c) + 1) % 10));

const settle = (ms = 400) => new Promise((resolve) => setTimeout(resolve, ms));

// The authenticator's states (method="authenticator"): a person with an app.
/** What the app shows now for a secret (RFC 6238, SHA-1, 6 digits, 30 s). */
const appCode = (secret, later = 0) =>
  generateHOTP(
    decodeBase32IgnorePadding(secret),
    BigInt(Math.floor(Date.now() / 30_000) + later),
    6,
  );
/** In the page: a part of the step, looked for in its shadow roots and the authenticator's. */
const clickPart = (page, name) =>
  page.evaluate((name) => {
    const step = document.querySelector('otp-step').shadowRoot;
    const dialog = step.querySelector('otp-step-dialog')?.shadowRoot;
    const view = dialog?.querySelector('otp-step-authenticator')?.shadowRoot;
    for (const root of [view, dialog, step])
      root?.querySelector(`[part~="${name}"]`)?.click();
  }, name);
const secretShown = (page) =>
  page.evaluate(() =>
    document
      .querySelector('otp-step')
      .shadowRoot.querySelector('otp-step-dialog')
      .shadowRoot.querySelector('otp-step-authenticator')
      .shadowRoot.querySelector('[part~="secret"]')
      .textContent.replace(/\s/g, ''),
  );
/** Sets an app up for `name` on the server, as an earlier visit would have: its secret. */
async function enrolled(name) {
  const headers = {'content-type': 'application/json', 'x-session-user': name};
  const post = async (path, body) =>
    (
      await fetch(`${origin}/totp${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      })
    ).json();
  const {enrollmentId, secret} = await post('/authenticator/enrollments', {});
  await post(`/authenticator/enrollments/${enrollmentId}/confirm`, {
    code: appCode(secret),
  });
  return secret;
}
let appUser = '';
const appAttributes = (extra = '') => {
  appUser = user();
  return `method="authenticator" ${extra} endpoint="${origin}/totp" user="${appUser}"`;
};
/** Sends the session header (as the app's page would, from its session) and opens the dialog. */
const openApp = async (page) => {
  await page.evaluate((name) => {
    document.querySelector('otp-step').headers = {'x-session-user': name};
  }, appUser);
  await clickTrigger(page);
  await settle(600);
};
const APP_STATES = {
  authenticator: {attributes: () => appAttributes(), act: openApp},
  'authenticator-recovery': {
    attributes: () => appAttributes(),
    act: async (page) => {
      await openApp(page);
      await clickPart(page, 'switch-entry');
      await settle();
      await page.keyboard.type('k7q2m');
    },
  },
  'authenticator-invalid': {
    attributes: () => appAttributes(),
    act: async (page) => {
      const secret = await enrolled(appUser);
      await openApp(page);
      await page.keyboard.type(wrong(appCode(secret, 1)));
      await settle(600);
    },
  },
  'enroll-qr': {attributes: () => appAttributes('enroll'), act: openApp},
  'enroll-code': {
    attributes: () => appAttributes('enroll'),
    act: async (page) => {
      await openApp(page);
      await clickPart(page, 'next');
      await settle();
      await page.keyboard.type('123');
    },
  },
  'enroll-recovery-codes': {
    attributes: () => appAttributes('enroll'),
    act: async (page) => {
      await openApp(page);
      const secret = await secretShown(page);
      await clickPart(page, 'next');
      await settle();
      await page.keyboard.type(appCode(secret));
      await settle(800);
    },
  },
  // Setting up a new app over one the user has: a code of that one first.
  'enroll-current': {
    attributes: () => appAttributes('enroll'),
    act: async (page) => {
      await enrolled(appUser);
      await openApp(page);
      await page.keyboard.type('12');
    },
  },
  'authenticator-ar': {
    attributes: () => `lang="ar" dir="rtl" ${appAttributes()}`,
    act: openApp,
  },
  'enroll-qr-ar': {
    attributes: () => `lang="ar" dir="rtl" ${appAttributes('enroll')}`,
    act: openApp,
  },
};

/** Each state: the attributes, then what a person does to get there. */
const STATES = {
  idle: {attributes: () => `demo user="${user()}"`, act: async () => {}},
  busy: {
    attributes: () => `endpoint="${origin}/hang" user="${user()}"`,
    act: (page) => clickTrigger(page),
  },
  pending: {
    attributes: () => `demo user="${user()}"`,
    act: (page) => clickTrigger(page, 'otp-issued'),
  },
  // The entry in groups: 8 digits as 1234 5678, a recovery code's 10 characters
  // as XXXXX XXXXX (6 digits are grouped by default: see pending).
  'grouped-8': {
    attributes: () => `demo length="8" user="${user()}"`,
    act: async (page) => {
      await clickTrigger(page, 'otp-issued');
      await page.keyboard.type((await testCode(page)).slice(0, 5));
    },
  },
  'grouped-10': {
    attributes: () =>
      `demo length="10" group="5" alphabet="alphanumeric" user="${user()}"`,
    act: async (page) => {
      await clickTrigger(page, 'otp-issued');
      await page.keyboard.type((await testCode(page)).slice(0, 7));
    },
  },
  ungrouped: {
    attributes: () => `demo group="0" user="${user()}"`,
    act: (page) => clickTrigger(page, 'otp-issued'),
  },
  // A password manager marked the entry (1Password's button, as it appends it to
  // <body>); a stand-in for its badge is drawn where the managers draw it, its
  // centre 18px from the input's end, on top of the modal dialog.
  'manager-room': {
    attributes: () => `demo user="${user()}"`,
    act: async (page) => {
      await page.evaluate(() =>
        document.body.append(document.createElement('com-1password-button')),
      );
      await clickTrigger(page, 'otp-issued');
      await settle(600);
      await page.evaluate(() => {
        const input = document
          .querySelector('otp-step')
          .shadowRoot.querySelector('otp-step-dialog')
          .shadowRoot.querySelector('otp-input')
          .shadowRoot.querySelector('input');
        const r = input.getBoundingClientRect();
        const badge = document.createElement('div');
        badge.popover = 'manual';
        badge.style.cssText = `margin: 0; padding: 0; border: 0; position: fixed; inset: ${r.top + r.height / 2 - 12}px auto auto ${r.right - 30}px; width: 24px; height: 24px; border-radius: 5px; background: #1a6ce7; color: #fff; font: bold 10px/24px system-ui; text-align: center`;
        badge.textContent = '1P';
        document.body.append(badge);
        badge.showPopover();
      });
      await page.keyboard.type('48');
    },
  },
  wrong: {
    attributes: () => `demo user="${user()}"`,
    act: async (page) => {
      await clickTrigger(page, 'otp-issued');
      await page.keyboard.type(wrong(await testCode(page)));
    },
  },
  expired: {
    attributes: () => `demo lifetime="2s" user="${user()}"`,
    act: async (page) => {
      await clickTrigger(page, 'otp-issued');
      await settle(3000);
    },
  },
  locked: {
    attributes: () => `demo max-attempts="1" user="${user()}"`,
    act: async (page) => {
      await clickTrigger(page, 'otp-issued');
      await page.keyboard.type(wrong(await testCode(page)));
    },
  },
  confirmed: {
    attributes: () => `demo user="${user()}"`,
    act: async (page) => {
      await clickTrigger(page, 'otp-issued');
      await page.keyboard.type(await testCode(page));
    },
  },
  'sent-to': {
    attributes: () =>
      `endpoint="${origin}/sending/sent" channel="email" user="${user()}"`,
    act: (page) => clickTrigger(page, 'otp-issued'),
  },
  'delivery-failed': {
    attributes: () =>
      `endpoint="${origin}/sending/failed" channel="email" user="${user()}"`,
    act: async (page) => {
      await clickTrigger(page, 'otp-issued');
      // The element reads the status once the provider's first try is due (3 s).
      await settle(4000);
    },
  },
  canceled: {
    attributes: () => `endpoint="${origin}/canceled" channel="email" user="${user()}"`,
    act: async (page) => {
      await clickTrigger(page, 'otp-issued');
      await page.keyboard.type('123456');
      await settle(600);
    },
  },
  'human-check': {
    attributes: () => `endpoint="${origin}/human" user="${user()}"`,
    act: (page) => clickTrigger(page, 'otp-error'),
  },
  'backend-down': {
    attributes: () => `endpoint="http://127.0.0.1:${deadPort}/otp" user="${user()}"`,
    act: (page) => clickTrigger(page, 'otp-error'),
  },
  ...APP_STATES,
};

const wanted = process.argv.slice(2);
mkdirSync(OUT, {recursive: true});
const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  args: CHROMIUM_ARGS,
});
try {
  for (const [name, state] of Object.entries(STATES)) {
    if (wanted.length && !wanted.includes(name)) continue;
    for (const viewport of VIEWPORTS)
      for (const scheme of SCHEMES) {
        const context = await browser.createBrowserContext();
        const tab = await context.newPage();
        await tab.setViewport(viewport);
        await tab.emulateMediaFeatures([{name: 'prefers-color-scheme', value: scheme}]);
        await tab.goto(`${origin}/?a=${encodeURIComponent(state.attributes())}`);
        await tab.waitForFunction(() => customElements.get('otp-step'));
        await state.act(tab);
        await settle();
        const file = `${OUT}/${name}-${viewport.width}-${scheme}.png`;
        await tab.screenshot({path: file});
        console.log(file);
        await context.close();
      }
  }
} finally {
  await browser.close();
  server.close();
}
