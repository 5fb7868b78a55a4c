// The page around <otp-step>: the platform's "execute script" and "write response"
// steps as a page would write them, the switch between the local generator and the
// reference server, the settings, the event log, and <otp-input> alone.
import '../src/otp-step.js';
import '../src/input/otp-input.js';
import type {OtpStep} from '../src/otp-step.js';
import {logEvents} from './event-log.js';
import {inboxPanel} from './inbox.js';
import {applySettings} from './settings.js';
import {authenticatorSection} from './authenticator.js';

const $ = <T extends Element = HTMLElement>(selector: string) =>
  document.querySelector<T>(selector)!;

const slot = $('#step-slot');
// The step in use: switching modes puts a fresh one in its place.
let step = $<OtpStep>('otp-step');
const show = (selector: string, text: string) => ($(selector).textContent = text);

// Events bubble out of the element (composed), so the page listens around it and
// keeps listening when the element is replaced.
logEvents(
  slot,
  $<HTMLOListElement>('#log'),
  $('#log-empty'),
  $<HTMLButtonElement>('#clear-log'),
);

// Step 3, "execute script": new_code = the code obtained; ForTestCode = new_code.
slot.addEventListener('otp-issued', () => {
  const new_code = step.forTestCode;
  show('#new-code', new_code || '— (not given out)');
  step.forTestCode = new_code;
  show('#for-test-code', step.forTestCode || '—');
});

// Step 4 happens in the dialog: the element cleans what was typed into _code and
// confirms it. Step 5, "write response", writes out what came of it.
function respond(line: string, tone: 'good' | 'bad', response: object) {
  const outcome = $('#outcome');
  outcome.textContent = line;
  outcome.dataset.tone = tone;
  const pre = $('#response');
  pre.hidden = false;
  pre.textContent = JSON.stringify(response, null, 2);
}
slot.addEventListener('otp-confirmed', ({detail}) =>
  respond(`Confirmed for ${detail.user}.`, 'good', {confirmed: true, ...detail}),
);
slot.addEventListener('otp-rejected', ({detail}) =>
  respond(`Rejected (${detail.reason}): ${detail.attemptsLeft} attempts left.`, 'bad', {
    confirmed: false,
    ...detail,
  }),
);
slot.addEventListener('otp-error', ({detail}) =>
  respond(`Stopped: ${detail.code}.`, 'bad', {confirmed: false, error: detail}),
);

// The mode: `demo` (codes made in this browser) or `endpoint="/api/mail/otp"`, where
// the dev server runs the reference server, which e-mails each code to an SMTP
// server on loopback; the inbox panel shows what arrived there.
const MODES = {
  demo: {
    badge: 'demo',
    text: 'Codes are made and checked in this browser (<code>demo</code>): no backend needed.',
  },
  backend: {
    badge: 'backend',
    text: 'Codes come from the reference server at <code>endpoint="/api/mail/otp"</code>, which e-mails each one to an SMTP server that <code>npm start</code> runs on this machine: read it in the inbox below.',
  },
} as const;

const inbox = inboxPanel($<HTMLOListElement>('#inbox-list'), $('#inbox-empty'));

const modeSwitch = $<HTMLFieldSetElement>('#mode');
modeSwitch.addEventListener('change', () => {
  const mode = ($<HTMLInputElement>('[name="mode"]:checked').value ??
    'demo') as keyof typeof MODES;
  // A challenge belongs to the source that issued it: a fresh element starts clean.
  const fresh = step.cloneNode(false) as OtpStep;
  fresh.toggleAttribute('demo', mode === 'demo');
  if (mode === 'backend') {
    fresh.setAttribute('endpoint', '/api/mail/otp');
    fresh.setAttribute('channel', 'email');
  } else {
    fresh.removeAttribute('endpoint');
    fresh.removeAttribute('channel');
  }
  $('#inbox').hidden = mode !== 'backend';
  if (mode === 'backend') inbox.start();
  else inbox.stop();
  step.replaceWith(fresh);
  step = fresh;
  applySettings([step, $('otp-input')]);
  show('#mode-badge', MODES[mode].badge);
  $('#mode-badge').dataset.mode = mode;
  $('#mode-text').innerHTML = MODES[mode].text;
  for (const id of ['#new-code', '#for-test-code']) show(id, '—');
});

// The settings panel drives both elements' attributes, as a page's own code would.
$('#settings-form').addEventListener('change', () =>
  applySettings([step, $('otp-input')]),
);

// <otp-input> alone, in a form of its own.
const alone = $<HTMLFormElement>('#alone-form');
alone.addEventListener('submit', (event) => {
  event.preventDefault();
  const code = new FormData(alone).get('code');
  show('#alone-output', `The form would submit code=${code}.`);
});
alone.addEventListener('reset', () =>
  show('#alone-output', 'The form submits code once every box is filled.'),
);
alone.addEventListener('otp-complete', ({detail}) =>
  show('#alone-output', `otp-complete: ${detail.value}. Press Enter or Submit.`),
);

authenticatorSection(
  $<HTMLInputElement>('#app-user'),
  [$<OtpStep>('#app-enroll'), $<OtpStep>('#app-sign-in')],
  $('#app-output'),
);
