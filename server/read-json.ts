import {OtpAnswer, type BodyLimits, type OtpRequest} from './exchange.js';
import {problem} from './problem.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The JSON body, or the problem answer that refuses it: 415 for another media
 * type, 413 past `maxBytes`, 408 when the body has not all arrived within
 * `timeoutMs` (a client that trickles a byte at a time holds nothing for long),
 * 400 for what is not UTF-8 JSON. Whichever runtime read the body, it read it
 * within these limits (see `OtpRequest.body`); a body a framework's parser read
 * first (Express's or Fastify's `req.body`, up to its own, larger limit) comes
 * as its JSON in UTF-8 and is held to `maxBytes` here.
 */
export async function readJson(
  request: OtpRequest,
  limits: BodyLimits,
): Promise<unknown | OtpAnswer> {
  if (!JSON_TYPE.test(request.header('content-type') ?? ''))
    return problem(415, 'unsupported-media-type', 'Send the body as application/json.');
  const tooLarge = () =>
    problem(413, 'body-too-large', `The body must be at most ${limits.maxBytes} bytes.`);
  if (Number(request.header('content-length') ?? 0) > limits.maxBytes) return tooLarge();
  const body = await request.body(limits);
  if ('bytes' in body)
    return body.bytes.byteLength > limits.maxBytes ? tooLarge() : parse(body.bytes);
  if ('tooLarge' in body) return tooLarge();
  const seconds = Math.round(limits.timeoutMs / 1000);
  return problem(
    408,
    'request-timeout',
    `The body did not arrive within ${seconds} second${seconds === 1 ? '' : 's'}.`,
  );
}

const utf8 = new TextDecoder('utf-8', {fatal: true});

function parse(bytes: Uint8Array): unknown | OtpAnswer {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    return problem(400, 'malformed-json', 'The body is not valid JSON.');
  }
}
