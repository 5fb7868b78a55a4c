// `npm run bench`: sizes and runtime of <otp-step> and <otp-input> beside lit alone
// and the peers users compare us with, measured side by side in one run on one
// machine. Quote ratios, since absolute times vary by machine. It ends with the
// budgets, and exits non-zero when one is missed (BENCH_NO_FAIL=1: report only).
import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {brotliCompressSync, constants, gzipSync} from 'node:zlib';
import puppeteer from 'puppeteer-core';
import {CHROMIUM_ARGS, locateBrowsers} from '../scripts/browsers.mjs';
import {SIZE_BUDGET} from '../scripts/size-budgets.mjs';
import {ENTRIES} from './rollup.config.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const MANY = 1000;
/** The code inputs, whose entries say where a keystroke goes (`keyTarget`). */
const KEYED = ['otp-input', 'input-otp', 'ionic', 'zag'];

const sizeOf = (bytes) => ({
  min: bytes.length,
  gzip: gzipSync(bytes, {level: 9}).length,
  brotli: brotliCompressSync(bytes, {params: {[constants.BROTLI_PARAM_QUALITY]: 11}})
    .length,
});

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {median, min: sorted[0], max: sorted.at(-1)};
}

const fmt = (n, digits = 1) => (n === undefined ? '—' : n.toFixed(digits));
const cell = (s, digits) =>
  s ? `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})` : '—';

function table(head, rows) {
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => String(r[i]).length)),
  );
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [
    line(head),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

// 1. Build every entry with the same rollup setup, after our own build.
execFileSync('npm', ['run', '--silent', 'build'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
execFileSync('node_modules/.bin/rollup', ['-c', 'bench/rollup.config.mjs', '--silent'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
const sizes = Object.fromEntries(
  ENTRIES.map((name) => [name, sizeOf(readFileSync(`bench/dist/${name}.js`))]),
);
// What a page loads up front, and the chunks it loads only when it needs them.
const ENTRY_FILE = 'dist/otp-step.js (entry: what every page loads)';
sizes[ENTRY_FILE] = sizeOf(readFileSync('dist/otp-step.js'));
for (const file of readdirSync('dist').filter((f) => /^otp-step-.+\.js$/.test(f))) {
  sizes[`  dist/${file} (when used)`] = sizeOf(readFileSync(`dist/${file}`));
}
const INPUT_FILE = 'dist/otp-input.js (<otp-input> alone, lit included)';
sizes[INPUT_FILE] = sizeOf(readFileSync('dist/otp-input.js'));

// 2. Serve them, and a blank page to load them into.
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname.startsWith('/dist/')) {
    res.writeHead(200, {'content-type': 'text/javascript', 'cache-control': 'no-store'});
    res.end(readFileSync(`bench${url.pathname}`));
    return;
  }
  res.writeHead(200, {'content-type': 'text/html'});
  res.end('<!doctype html><meta charset="utf-8"><body><main id="root"></main></body>');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://localhost:${server.address().port}`;

const executablePath = locateBrowsers().chromium;
if (!executablePath) {
  console.error(
    'bench: no Chromium found (set CHROME_PATH, or run `npm test` once to install it)',
  );
  process.exit(1);
}
const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'],
});

/** A fresh page in a fresh context: nothing cached, no IndexedDB left from a run before. */
async function freshPage() {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const cdp = await page.createCDPSession();
  await cdp.send('Performance.enable');
  await page.goto(`${origin}/`);
  return {page, cdp, close: () => context.close()};
}

/** Main-thread busy time so far, in ms, from the DevTools protocol. */
async function busy(cdp) {
  const {metrics} = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration').value * 1000;
}

async function heap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const {usedSize} = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

/** Runs `action` in the page and returns its wall and main-thread busy time, through to the next frame. */
async function measure(page, cdp, action, arg) {
  const before = await busy(cdp);
  const wall = await page.evaluate(action, arg);
  return {wall, busy: (await busy(cdp)) - before};
}

const importEntry = (url) =>
  (async () => {
    const t = performance.now();
    window.entry = await import(url);
    return performance.now() - t;
  })();

const mountInto = (count) =>
  (async () => {
    const container = document.createElement('div');
    document.querySelector('#root').append(container);
    const t = performance.now();
    await window.entry.mount(container, count);
    // Rendered means painted: wait for the frame after.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
    return performance.now() - t;
  })();

const results = {};
for (const name of ENTRIES) {
  const samples = {import: [], one: [], oneBusy: [], many: [], manyBusy: [], heap: []};
  for (let run = 0; run < RUNS; run++) {
    const {page, cdp, close} = await freshPage();
    samples.import.push(await page.evaluate(importEntry, `/dist/${name}.js`));
    const one = await measure(page, cdp, mountInto, 1);
    samples.one.push(one.wall);
    samples.oneBusy.push(one.busy);
    const heapBefore = await heap(cdp);
    const many = await measure(page, cdp, mountInto, MANY);
    samples.many.push(many.wall);
    samples.manyBusy.push(many.busy);
    samples.heap.push((await heap(cdp)) - heapBefore);
    await close();
  }
  results[name] = Object.fromEntries(
    Object.entries(samples).map(([k, v]) => [k, stats(v)]),
  );
}

/**
 * Arms the timing of the next keystroke into the first instance on the page: from
 * its keydown to the moment the first box shows the key, whether a box is drawn
 * (its text changes: a MutationObserver sees it) or is an <input> of its own (its
 * value changes: the input event, caught first, at the document, says so).
 */
const armKeystroke = (key) => {
  const target = window.entry.keyTarget(document.querySelector('#root'));
  target.input.focus();
  window.keyTiming = new Promise((resolve, reject) => {
    let t = 0;
    const stop = () => {
      observer.disconnect();
      document.removeEventListener('input', check, true);
      clearTimeout(timeout);
    };
    const check = () => {
      if (!t || target.firstBox() !== key) return;
      stop();
      resolve(performance.now() - t);
    };
    const timeout = setTimeout(() => {
      stop();
      reject(new Error(`the first box never showed ${key}`));
    }, 5000);
    document.addEventListener('keydown', () => (t = performance.now()), {
      capture: true,
      once: true,
    });
    document.addEventListener('input', check, true);
    const observer = new MutationObserver(check);
    for (const node of target.watch)
      observer.observe(node, {childList: true, characterData: true, subtree: true});
  });
};

/** A real key from outside the page, as a person's; its time to the first box, and the main thread's work. */
async function keystroke(page, cdp) {
  await page.evaluate(armKeystroke, '5');
  const before = await busy(cdp);
  await page.keyboard.press('5');
  const wall = await page.evaluate(() => window.keyTiming);
  return {wall, busy: (await busy(cdp)) - before};
}

const keys = {};
for (const name of KEYED) {
  const samples = {key: [], keyBusy: []};
  for (let run = 0; run < RUNS; run++) {
    const {page, cdp, close} = await freshPage();
    await page.evaluate(importEntry, `/dist/${name}.js`);
    await page.evaluate(mountInto, 1);
    const key = await keystroke(page, cdp);
    samples.key.push(key.wall);
    samples.keyBusy.push(key.busy);
    await close();
  }
  keys[name] = {key: stats(samples.key), keyBusy: stats(samples.keyBusy)};
}

// 3. Our element in use, beside the least a Lit element can do for the same
// click (bench/entries/lit-modal.js): click to code visible, keystroke to box.
/**
 * Clicks the trigger of the first `tag` on the page and resolves with the time
 * until its code shows in its open modal.
 */
const clickToCode = (tag) =>
  (async () => {
    const el = document.querySelector(tag);
    /** The part in any shadow root under the element (the step draws its dialog in one of its own). */
    const find = (root, name) =>
      root.querySelector(`[part~="${name}"]`) ??
      [...root.querySelectorAll('*')]
        .filter((e) => e.shadowRoot)
        .map((e) => find(e.shadowRoot, name))
        .find(Boolean);
    const t = performance.now();
    const shown = new Promise((resolve) =>
      el.addEventListener('otp-issued', resolve, {once: true}),
    );
    find(el.shadowRoot, 'trigger').click();
    await shown;
    const code = find(el.shadowRoot, 'code');
    if (!code || code.textContent !== el.forTestCode) throw new Error('code not visible');
    if (!code.closest('dialog')?.open) throw new Error('the modal is not open');
    return performance.now() - t;
  })();

/** A person's click: the pointer reaches the trigger first, then clicks. */
async function pointerThenClick(page, cdp, tag) {
  await page.hover(tag);
  await new Promise((resolve) => setTimeout(resolve, 150));
  return measure(page, cdp, clickToCode, tag);
}

const modal = {click: [], clickBusy: []};
for (let run = 0; run < RUNS; run++) {
  const {page, cdp, close} = await freshPage();
  await page.evaluate(importEntry, '/dist/lit-modal.js');
  await page.evaluate(mountInto, 1);
  const click = await pointerThenClick(page, cdp, 'bench-lit-modal');
  modal.click.push(click.wall);
  modal.clickBusy.push(click.busy);
  await close();
}

const flow = {
  cold: [],
  coldBusy: [],
  click: [],
  clickBusy: [],
  key: [],
  keyBusy: [],
  noopBusy: [],
};
for (let run = 0; run < RUNS; run++) {
  // Cold: a click out of nowhere, as a script's would be.
  {
    const {page, cdp, close} = await freshPage();
    await page.evaluate(importEntry, '/dist/otp-step.js');
    await page.evaluate(mountInto, 1);
    const cold = await measure(page, cdp, clickToCode, 'otp-step');
    flow.cold.push(cold.wall);
    flow.coldBusy.push(cold.busy);
    await close();
  }
  // A person's: the pointer reaches the trigger first, then clicks.
  const {page, cdp, close} = await freshPage();
  await page.evaluate(importEntry, '/dist/otp-step.js');
  await page.evaluate(mountInto, 1);
  // What measuring costs: a page.evaluate that does nothing, with its two metric reads.
  flow.noopBusy.push((await measure(page, cdp, () => 0)).busy);
  const click = await pointerThenClick(page, cdp, 'otp-step');
  flow.click.push(click.wall);
  flow.clickBusy.push(click.busy);
  await page.evaluate(() => {
    // The step's code entry: its <otp-input>, in the shadow root of its dialog.
    window.benchEntry = document
      .querySelector('otp-step')
      .shadowRoot.querySelector('otp-step-dialog')
      .shadowRoot.querySelector('otp-input');
    window.benchEntry.focus();
  });
  // The keystroke comes from outside the page, as a person's does; timed from its dispatch.
  const before = await busy(cdp);
  await page.evaluate(() => {
    const entry = window.benchEntry;
    window.keyTiming = new Promise((resolve) => {
      const input = entry.shadowRoot.querySelector('input');
      const box = entry.shadowRoot.querySelector('[part~="box"]');
      let t = 0;
      input.addEventListener('keydown', () => (t = performance.now()), {once: true});
      // Resolved the moment the first box's text changes to the key pressed.
      new MutationObserver((_, observer) => {
        if (box.textContent.trim() !== '5') return;
        observer.disconnect();
        resolve(performance.now() - t);
      }).observe(box, {childList: true, characterData: true, subtree: true});
    });
  });
  await page.keyboard.press('5');
  flow.key.push(await page.evaluate(() => window.keyTiming));
  flow.keyBusy.push((await busy(cdp)) - before);
  await close();
}
await browser.close();
server.close();

// 4. The tables.
const ours = results['otp-step'];
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '—');
const KB = (n) => (n / 1000).toFixed(1);

console.log(
  `\n## Size (same rollup + terser setup; KB = 1,000 bytes; the otp-step row is all of its code bundled as one)\n`,
);
console.log(
  table(
    ['entry', 'min KB', 'gzip KB', 'brotli KB', 'brotli vs otp-step'],
    Object.entries(sizes).map(([name, s]) => [
      name,
      KB(s.min),
      KB(s.gzip),
      KB(s.brotli),
      ratio(s.brotli, sizes['otp-step'].brotli),
    ]),
  ),
);

console.log(
  `\n## Runtime, headless Chromium, ${RUNS} runs, fresh page each: median (min–max)\n`,
);
console.log(
  table(
    [
      'entry',
      'import ms',
      'mount 1 ms',
      'mount 1 busy ms',
      `mount ${MANY} ms`,
      `mount ${MANY} busy ms`,
      'heap KB / instance',
    ],
    ENTRIES.map((name) => {
      const r = results[name];
      const perInstance = {
        median: r.heap.median / MANY / 1024,
        min: r.heap.min / MANY / 1024,
        max: r.heap.max / MANY / 1024,
      };
      return [
        name,
        cell(r.import),
        cell(r.one),
        cell(r.oneBusy),
        cell(r.many, 0),
        cell(r.manyBusy, 0),
        cell(perInstance, 2),
      ];
    }),
  ),
);

console.log(
  `\n## Ratios: peer ÷ otp-step (medians; above 1 means otp-step is smaller or faster)\n`,
);
console.log(
  table(
    ['entry', 'brotli', 'import', `mount ${MANY} busy`, 'heap / instance'],
    ENTRIES.filter((n) => n !== 'otp-step').map((name) => [
      name,
      ratio(sizes[name].brotli, sizes['otp-step'].brotli),
      ratio(results[name].import.median, ours.import.median),
      ratio(results[name].manyBusy.median, ours.manyBusy.median),
      ratio(results[name].heap.median, ours.heap.median),
    ]),
  ),
);

const input = results['otp-input'];
console.log(
  `\n## <otp-input> beside the code inputs: peer ÷ otp-input (medians; above 1 means otp-input is smaller or faster)\n`,
);
console.log(
  table(
    ['entry', 'brotli', 'import', `mount ${MANY} busy`, 'heap / instance', 'keystroke'],
    KEYED.filter((n) => n !== 'otp-input').map((name) => [
      name,
      ratio(sizes[name].brotli, sizes['otp-input'].brotli),
      ratio(results[name].import.median, input.import.median),
      ratio(results[name].manyBusy.median, input.manyBusy.median),
      ratio(results[name].heap.median, input.heap.median),
      ratio(keys[name].key.median, keys['otp-input'].key.median),
    ]),
  ),
);

console.log(
  `\n## Keystroke → first box shows it (a real key from puppeteer, timed from keydown in the page): median (min–max)\n`,
);
console.log(
  table(
    ['entry', 'wall ms', 'main-thread busy ms'],
    [
      ...KEYED.map((name) => [
        name,
        cell(keys[name].key, 2),
        cell(keys[name].keyBusy, 2),
      ]),
      [
        'otp-step (in its open dialog; as below)',
        cell(stats(flow.key), 2),
        cell(stats(flow.keyBusy), 2),
      ],
    ],
  ),
);

console.log(`\n## <otp-step> in use (local demo generator): median (min–max)\n`);
console.log(
  table(
    ['step', 'wall ms', 'main-thread busy ms'],
    [
      [
        'click (pointer over the trigger first) → code visible in the open modal',
        cell(stats(flow.click)),
        cell(stats(flow.clickBusy)),
      ],
      [
        '  the same click on the minimal Lit modal (bench/entries/lit-modal.js)',
        cell(stats(modal.click)),
        cell(stats(modal.clickBusy)),
      ],
      [
        'cold click (no pointer first, as from a script) → code visible',
        cell(stats(flow.cold)),
        cell(stats(flow.coldBusy)),
      ],
      [
        'keystroke → box shows it',
        cell(stats(flow.key), 2),
        cell(stats(flow.keyBusy), 2),
      ],
      [
        '(no-op page.evaluate: the measurement itself)',
        '—',
        cell(stats(flow.noopBusy), 2),
      ],
    ],
  ),
);

// 5. The budgets, reported, and the exit code. The size budgets, with our own
// code's share, are also enforced in CI by scripts/check-size.mjs (`npm run size`).
const heapPerInstanceKB = ours.heap.median / MANY / 1024;
const idleRatio = ours.manyBusy.median / results.lit.manyBusy.median;
const clickRatio = stats(flow.click).median / stats(modal.click).median;
const budgets = [
  [
    `dist/otp-step.js ≤ ${KB(SIZE_BUDGET.entry)} KB brotli`,
    sizes[ENTRY_FILE].brotli <= SIZE_BUDGET.entry,
    `${KB(sizes[ENTRY_FILE].brotli)} KB`,
  ],
  [
    `dist/otp-input.js ≤ ${KB(SIZE_BUDGET.input)} KB brotli`,
    sizes[INPUT_FILE].brotli <= SIZE_BUDGET.input,
    `${KB(sizes[INPUT_FILE].brotli)} KB`,
  ],
  [
    `1,000 idle <otp-step> ≤ 0.50× the main-thread time of 1,000 six-input Lit elements`,
    idleRatio <= 0.5,
    `${fmt(idleRatio, 2)}× (${fmt(ours.manyBusy.median, 0)} vs ${fmt(results.lit.manyBusy.median, 0)} ms)`,
  ],
  [
    '≤ 3 KB of JS heap per idle element',
    heapPerInstanceKB <= 3,
    `${fmt(heapPerInstanceKB, 2)} KB`,
  ],
  [
    'click → code visible ≤ 16 ms of main-thread work (pointer first)',
    stats(flow.clickBusy).median <= 16,
    `${fmt(stats(flow.clickBusy).median)} ms`,
  ],
  [
    'click → code visible ≤ 1.20× the minimal Lit modal doing the same (pointer first, wall)',
    clickRatio <= 1.2,
    `${fmt(clickRatio, 2)}× (${fmt(stats(flow.click).median)} vs ${fmt(stats(modal.click).median)} ms)`,
  ],
];
console.log(`\n## Budgets\n`);
console.log(
  table(
    ['budget', 'met', 'measured'],
    budgets.map(([b, ok, m]) => [b, ok ? 'yes' : 'NO', m]),
  ),
);
const missed = budgets.filter(([, ok]) => !ok).map(([b]) => b);
if (missed.length && process.env.BENCH_NO_FAIL !== '1') {
  console.error(`\nbench: ${missed.length} budget(s) missed: ${missed.join('; ')}`);
  process.exitCode = 1;
}
