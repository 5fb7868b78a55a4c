// What the authenticator's browser tests share: the authenticator app's side
// (codes computed from the secret with @oslojs/otp, as an app does), the QR code
// read back from the pixels the element drew (jsQR, as a phone's camera reads
// it), and the dev server's authenticator handler at /api/totp
// (scripts/otp-dev-middleware.mjs), whose clock a test may move forward.
import {fixture, html, oneEvent, waitUntil} from '@open-wc/testing';
import {decodeBase32IgnorePadding} from '@oslojs/encoding';
import {generateHOTP} from '@oslojs/otp';
import {sendKeys} from '@web/test-runner-commands';
import type {OtpStep} from '../src/otp-step.js';
import type {OtpStepEventMap} from '../src/events.js';
import {part} from './helpers.js';

export const ENDPOINT = '/api/totp';

/** The reference server's clock (epoch ms), moved forward `advanceSeconds` first. */
export async function serverNow(advanceSeconds = 0): Promise<number> {
  const response = await fetch('/api/totp-clock', {
    method: 'POST',
    body: JSON.stringify({advanceSeconds}),
  });
  return ((await response.json()) as {now: number}).now;
}

/**
 * The app's code now, as an authenticator app computes it (RFC 6238: SHA-1,
 * 6 digits, 30 s), in a time step after any code used before: the server
 * takes a code only for a later step than the last one it accepted.
 */
export async function appCode(secret: string, nextStep = false): Promise<string> {
  const now = await serverNow(nextStep ? 30 : 0);
  return generateHOTP(
    decodeBase32IgnorePadding(secret),
    BigInt(Math.floor(now / 30_000)),
    6,
  );
}

/** The claims the app's server gets from verifyConfirmation for this token, or null. */
export async function verify(confirmation: string, user: string) {
  const response = await fetch('/api/totp-verify', {
    method: 'POST',
    body: JSON.stringify({confirmation, user}),
  });
  return ((await response.json()) as {claims: {method: string; user: string} | null})
    .claims;
}

/** Sets an app up for `user` straight on the server (no element): the secret and the recovery codes. */
export async function enrolOnServer(user: string) {
  const headers = {'content-type': 'application/json', 'x-session-user': user};
  const started = await fetch(`${ENDPOINT}/authenticator/enrollments`, {
    method: 'POST',
    headers,
    body: '{}',
  });
  const {enrollmentId, secret} = (await started.json()) as {
    enrollmentId: string;
    secret: string;
  };
  const confirmed = await fetch(
    `${ENDPOINT}/authenticator/enrollments/${enrollmentId}/confirm`,
    {
      method: 'POST',
      headers,
      body: JSON.stringify({code: await appCode(secret)}),
    },
  );
  const {recoveryCodes} = (await confirmed.json()) as {recoveryCodes: string[]};
  return {secret, recoveryCodes};
}

/** A step signing `user` in with the app (or setting one up, with `enroll`), their session in a header. */
export const appStep = (user: string, {enroll = false, lang = 'en'} = {}) =>
  fixture<OtpStep>(
    html`<otp-step
      lang=${lang}
      method="authenticator"
      ?enroll=${enroll}
      endpoint=${ENDPOINT}
      user=${user}
      .headers=${{'x-session-user': user}}
    ></otp-step>`,
  );

/** Opens the dialog from the trigger and waits until what it shows is drawn. */
export async function openDialog(el: OtpStep, wanted = 'input') {
  part(el, 'trigger').click();
  await waitUntil(
    () => {
      try {
        return !!part(el, wanted);
      } catch {
        return false;
      }
      // The first open loads the flow, the HTTP source, the view and uqr.
    },
    `no ${wanted}`,
    {timeout: 5000},
  );
  await el.updateComplete;
}

/** Types into the entry one key at a time, as a person does, and waits for what the element says. */
export async function typeCode(el: OtpStep, typed: string) {
  part<HTMLInputElement>(el, 'input').focus();
  const verdict = Promise.race([
    oneEvent(el, 'otp-confirmed'),
    oneEvent(el, 'otp-rejected'),
    oneEvent(el, 'otp-error'),
    oneEvent(el, 'otp-enrolled'),
  ]) as Promise<OtpStepEventMap[keyof OtpStepEventMap]>;
  for (const key of typed) await sendKeys({type: key});
  const event = await verdict;
  await el.updateComplete;
  return event;
}

let jsQR:
  | ((data: Uint8ClampedArray, width: number, height: number) => {data: string} | null)
  | undefined;

/** jsQR, a UMD build: loaded as a classic script, which sets `window.jsQR`. */
async function loadJsQr() {
  if (jsQR) return jsQR;
  const script = document.createElement('script');
  script.src = '/node_modules/jsqr/dist/jsQR.js';
  const loaded = oneEvent(script, 'load');
  document.head.append(script);
  await loaded;
  jsQR = (window as unknown as {jsQR: typeof jsQR}).jsQR;
  return jsQR!;
}

/**
 * What a phone reads off the QR code the element drew: its SVG rendered to a
 * canvas on white (the page's styles do not travel with it, so the quiet
 * zone's white is painted here as the element's stylesheet does), the pixels
 * read by jsQR.
 */
export async function readQr(svg: SVGSVGElement): Promise<string> {
  const decode = await loadJsQr();
  const side = 400;
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(side));
  copy.setAttribute('height', String(side));
  const url = URL.createObjectURL(
    new Blob([new XMLSerializer().serializeToString(copy)], {type: 'image/svg+xml'}),
  );
  try {
    const image = new Image();
    const loaded = oneEvent(image, 'load');
    image.src = url;
    await loaded;
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = side;
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, side, side);
    context.drawImage(image, 0, 0, side, side);
    const {data} = context.getImageData(0, 0, side, side);
    const found = decode(data, side, side);
    if (!found) throw new Error('jsQR read no QR code');
    return found.data;
  } finally {
    URL.revokeObjectURL(url);
  }
}
