// The event log: one row per event, its name and the fields worth a glance, and the
// whole detail on demand.
import type {OtpStepEventMap} from '../src/events.js';

type EventName = keyof OtpStepEventMap;

const EVENTS: EventName[] = [
  'otp-request',
  'otp-issued',
  'otp-confirmed',
  'otp-rejected',
  'otp-expired',
  'otp-error',
  'step-complete',
];

/** How each event reads at a glance: good news, bad news or neither. */
const TONE: Partial<Record<EventName, string>> = {
  'otp-confirmed': 'good',
  'step-complete': 'good',
  'otp-rejected': 'bad',
  'otp-expired': 'bad',
  'otp-error': 'bad',
};

const time = (ms: number) => new Date(ms).toLocaleTimeString();

/** The fields of a detail worth a glance, as [label, value] pairs. */
function keyFields<K extends EventName>(
  type: K,
  detail: OtpStepEventMap[K]['detail'],
): [string, string][] {
  const d = detail as unknown as Record<string, unknown>;
  const fields: [string, string][] = [];
  if (typeof d.user === 'string') fields.push(['user', d.user]);
  switch (type) {
    case 'otp-request':
      fields.push(['resend', String(d.resend)]);
      break;
    case 'otp-issued':
      fields.push(['expires', time(d.expiresAt as number)]);
      fields.push(['attemptsLeft', String(d.attemptsLeft)]);
      break;
    case 'otp-rejected':
      fields.push(['reason', String(d.reason)]);
      fields.push(['attemptsLeft', String(d.attemptsLeft)]);
      break;
    case 'otp-confirmed':
    case 'step-complete':
      if (d.confirmation) fields.push(['confirmation', 'token']);
      break;
    case 'otp-error':
      fields.push(['code', String(d.code)]);
      fields.push(['message', String(d.message)]);
      break;
  }
  return fields;
}

function row(type: EventName, detail: unknown): HTMLLIElement {
  const item = document.createElement('li');
  item.className = `log-row ${TONE[type] ?? ''}`;
  const details = document.createElement('details');
  const summary = document.createElement('summary');

  const head = document.createElement('span');
  head.className = 'log-line';
  const name = document.createElement('code');
  name.className = 'log-name';
  name.textContent = type;
  const at = document.createElement('time');
  at.textContent = new Date().toLocaleTimeString();
  head.append(name, at);

  const fields = document.createElement('span');
  fields.className = 'log-fields';
  for (const [label, value] of keyFields(type, detail as never)) {
    const field = document.createElement('span');
    const key = document.createElement('span');
    key.className = 'log-key';
    key.textContent = label;
    field.append(key, ` ${value}`);
    fields.append(field);
  }

  summary.append(head, fields);
  const json = document.createElement('pre');
  json.textContent = JSON.stringify(detail, null, 2);
  details.append(summary, json);
  item.append(details);
  return item;
}

/** Logs every event of `<otp-step>` that reaches `target` into the list, newest first. */
export function logEvents(
  target: EventTarget,
  list: HTMLOListElement,
  empty: HTMLElement,
  clear: HTMLButtonElement,
): void {
  for (const type of EVENTS) {
    target.addEventListener(type, (event) => {
      list.prepend(row(type, (event as CustomEvent).detail));
      empty.hidden = true;
    });
  }
  clear.addEventListener('click', () => {
    list.replaceChildren();
    empty.hidden = false;
  });
}
