// The "execute script" and "write response" steps of the platform's scenario,
// as a page would write them around <otp-step>.
import '../src/otp-step.js';

const step = document.querySelector('otp-step')!;
const log = document.querySelector('#log')!;
const show = (id: string, text: string) =>
  (document.querySelector(id)!.textContent = text);

function write(line: string) {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} ${line}`;
  log.prepend(item);
}

for (const type of [
  'otp-request',
  'otp-issued',
  'otp-confirmed',
  'otp-rejected',
  'otp-expired',
  'otp-error',
  'step-complete',
] as const) {
  step.addEventListener(type, (event) =>
    write(`${type} ${JSON.stringify(event.detail)}`),
  );
}

// Step 3, "execute script": new_code = the code obtained; ForTestCode = new_code.
step.addEventListener('otp-issued', () => {
  const new_code = step.forTestCode;
  show('#new-code', new_code);
  step.forTestCode = new_code;
  show('#for-test-code', step.forTestCode);
});

// Step 4 happens in the modal: the element cleans what was typed into _code and
// confirms it. Step 5, "write response", writes out what came of it.
step.addEventListener('otp-rejected', (event) => {
  show('#response', JSON.stringify({confirmed: false, ...event.detail}, null, 2));
});
step.addEventListener('otp-confirmed', (event) => {
  show('#response', JSON.stringify({confirmed: true, ...event.detail}, null, 2));
});
step.addEventListener('otp-error', (event) => {
  show('#response', JSON.stringify({confirmed: false, error: event.detail}, null, 2));
});

// The settings form drives the element's attributes, as a page's own code would.
const settings = document.querySelector<HTMLFormElement>('#settings-form')!;
settings.addEventListener('change', () => {
  const data = new FormData(settings);
  const lang = String(data.get('lang'));
  step.setAttribute('lang', lang);
  step.setAttribute('dir', lang.startsWith('ar') ? 'rtl' : 'ltr');
  // An empty endpoint leaves the page's `demo` attribute in charge: codes made in this browser.
  step.endpoint = String(data.get('source'));
  step.alphabet = String(data.get('alphabet'));
  step.size = data.get('size') as typeof step.size;
  step.mask = data.has('mask');
  step.noAutoConfirm = data.has('no-auto-confirm');
  // The language is read when the element renders.
  step.requestUpdate();
});
