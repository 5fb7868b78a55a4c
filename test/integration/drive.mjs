// What a person does in each app, in Chromium through puppeteer-core: ask for a
// code, type a wrong one, see it refused, type the right one (read from the
// dialog's test code), and see the app's own otp-confirmed handler write the
// detail's user into the page. Any page error or console error fails the app.
/* global document, customElements -- in the functions that run in the page */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import puppeteer from 'puppeteer-core';
import {CHROMIUM_ARGS} from '../../scripts/browsers.mjs';

const TIMEOUT = 15_000;

/** One Chromium for the whole run, on a profile of its own that goes with it. */
export async function launchChromium(executablePath) {
  const profile = mkdtempSync(join(tmpdir(), 'otp-step-integration-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, '--disable-quic', `--user-data-dir=${profile}`],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, {recursive: true, force: true});
    },
  };
}

/**
 * Opens `url` in a fresh context (its own IndexedDB), collects what goes wrong
 * in it, and hands the page to `use`. Rejects with every page error and console
 * error the page logged, even when `use` itself succeeded. `expectedErrors`
 * lists console errors that must each appear exactly `times` times: Chromium
 * logs every 4xx answer as one, and the protocol answers a wrong code with 422.
 */
export async function withPage(
  browser,
  url,
  use,
  {beforeLoad, expectedErrors = []} = {},
) {
  const context = await browser.createBrowserContext();
  const problems = [];
  const seen = expectedErrors.map(() => 0);
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const from = message.location().url ?? '';
      const expected = expectedErrors.findIndex(
        ({text, url}) => text.test(message.text()) && url.test(from),
      );
      if (expected >= 0) seen[expected]++;
      else problems.push(`console error: ${message.text()} (${from})`);
    });
    page.on('requestfailed', (request) =>
      problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`),
    );
    if (beforeLoad) await page.evaluateOnNewDocument(beforeLoad);
    await page.goto(url, {waitUntil: 'load'});
    let result;
    let failure;
    try {
      result = await use(page);
    } catch (error) {
      failure = error;
    }
    // Errors logged while the drive ran count, whether or not it got through.
    expectedErrors.forEach(({text, url, times}, i) => {
      if (seen[i] !== times)
        problems.push(
          `expected ${times} console error(s) ${text} from ${url}, saw ${seen[i]}`,
        );
    });
    if (problems.length) {
      const list = problems.map((p) => `  - ${p}`).join('\n');
      throw new Error(
        `${failure ? `${failure.message}\n` : ''}the page reported:\n${list}`,
      );
    }
    if (failure) throw failure;
    return result;
  } finally {
    await context.close();
  }
}

/** Inside `root` (a shadow root's handle): the first match of `selector`. */
const inShadow = (root, selector) =>
  root.evaluateHandle((r, s) => r.querySelector(s), selector);

/** Types into the input of the <otp-input> `entry` (an element handle), as a keyboard does. */
async function typeInto(page, entry, text) {
  const input = await entry.evaluateHandle((el) => el.shadowRoot.querySelector('input'));
  await input.focus();
  await page.keyboard.type(text, {delay: 15});
}

/** Another code of the same shape: every digit moved by one. */
const wrongCodeFor = (code) =>
  [...code].map((c) => (/\d/.test(c) ? String((Number(c) + 1) % 10) : c)).join('');

/**
 * The flow on one <otp-step>: `host` selects the element, `output` where the
 * app's otp-confirmed handler writes `detail.user`, `user` what it must write.
 */
export async function driveStep(page, {host, output, user}) {
  const step = await page.waitForSelector(host);
  await page.waitForFunction(
    (el) =>
      customElements.get(el.localName) &&
      el.shadowRoot?.querySelector('[part~="trigger"]'),
    {},
    step,
  );
  const trigger = await step.evaluateHandle((el) =>
    el.shadowRoot.querySelector('[part~="trigger"]'),
  );
  await trigger.asElement().click();

  // The dialog is a view of its own, <otp-step-dialog>, with its own shadow root:
  // the parts below (dialog, code, message, the entry) are in there.
  const dialog = await page.waitForFunction(
    (el) => el.shadowRoot.querySelector('otp-step-dialog')?.shadowRoot,
    {},
    step,
  );

  // The dialog is open and shows the test code, which is the element's forTestCode.
  const code = await (
    await page.waitForFunction(
      (el, root) => {
        const shown = root.querySelector('[part~="code"]')?.textContent?.trim();
        const open = root.querySelector('dialog')?.open;
        return open && shown && shown === el.forTestCode ? shown : false;
      },
      {},
      step,
      dialog,
    )
  ).jsonValue();

  const entry = await inShadow(dialog, 'otp-input');
  await typeInto(page, entry, wrongCodeFor(code));
  // Refused: the dialog says so, the boxes are marked invalid, the app saw no confirmation.
  await page.waitForFunction(
    (root) => {
      const message = root.querySelector('[part~="message"]');
      return (
        message?.dataset.notice === 'invalid' &&
        message.textContent.trim() !== '' &&
        root.querySelector('otp-input')?.hasAttribute('invalid')
      );
    },
    {},
    dialog,
  );
  const early = await page.$eval(output, (o) => o.textContent);
  if (early) throw new Error(`${host}: ${output} says "${early}" after a wrong code`);
  // The entry is emptied after a wrong code; wait for that before typing again.
  await page.waitForFunction((el) => el.value === '', {}, entry);

  await typeInto(page, entry, code);
  await page.waitForFunction(
    (selector, expected) => document.querySelector(selector)?.textContent === expected,
    {},
    output,
    user,
  );
  await page.waitForFunction((root) => !root.querySelector('dialog')?.open, {}, dialog);
}

/** <otp-input> alone: a full code typed in fires otp-complete, which the app writes into `output`. */
export async function driveInput(page, {host, output}) {
  const entry = await page.waitForSelector(host);
  await page.waitForFunction((el) => el.shadowRoot?.querySelector('input'), {}, entry);
  await typeInto(page, entry, '204816');
  await page.waitForFunction(
    (selector) => document.querySelector(selector)?.textContent === '204816',
    {},
    output,
  );
}
