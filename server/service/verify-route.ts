import type {IncomingMessage} from 'node:http';
import {OtpAnswer} from '../exchange.js';
import {fromNodeRequest} from '../node-adapter.js';
import type {OtpHandler} from '../otp-handler.js';
import {json, methodNotAllowed} from '../problem.js';
import {readJson} from '../read-json.js';
import {refuseWithoutApiKey} from './api-key.js';

/**
 * `POST /confirmations/verify`: `verifyConfirmation` for an app that is not in
 * Node (.NET, Java). The app's server sends the token the form carried and what
 * it expects, with `Authorization: Bearer <OTP_API_KEY>`; the answer is
 * `{"confirmed": true, …claims}` the first time, `{"confirmed": false}` for a
 * token spent, expired, forged or naming someone else. Browsers have no key:
 * this route is for the app's server only.
 */
export async function verifyConfirmation(
  handler: OtpHandler,
  apiKey: string,
  req: IncomingMessage,
): Promise<OtpAnswer> {
  if (req.method !== 'POST') return methodNotAllowed();
  const refused = refuseWithoutApiKey(apiKey, req);
  if (refused) return refused;
  // The body is read as the handler's own routes read theirs, within its limits.
  const request = fromNodeRequest(req);
  if (request instanceof OtpAnswer) return request;
  const body = await readJson(request, handler.bodyLimits);
  if (body instanceof OtpAnswer) return body;
  const {token, user, client, stepName} = (body ?? {}) as Record<string, unknown>;
  const expected = Object.fromEntries(
    Object.entries({user, client, stepName}).filter(([, v]) => v !== undefined),
  );
  const claims = await handler.verifyConfirmation(token, expected);
  return json(200, claims ? {confirmed: true, ...claims} : {confirmed: false});
}
