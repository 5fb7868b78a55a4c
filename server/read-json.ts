import {preparedRequestBody} from './prepared-body.js';
import {problem} from './problem.js';

/**
 * The JSON body, or the problem response that refuses it: 415 for another media
 * type, 413 past `maxBytes`, 408 when the body has not all arrived within
 * `timeoutMs` (a client that trickles a byte at a time holds nothing for long),
 * 400 for what is not UTF-8 JSON.
 */
export async function readJson(
  request: Request,
  maxBytes: number,
  timeoutMs: number,
): Promise<unknown | Response> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    return problem(415, 'unsupported-media-type', 'Send the body as application/json.');
  }
  const tooLarge = () =>
    problem(413, 'body-too-large', `The body must be at most ${maxBytes} bytes.`);
  const seconds = Math.round(timeoutMs / 1000);
  const tooSlow = () =>
    problem(
      408,
      'request-timeout',
      `The body did not arrive within ${seconds} second${seconds === 1 ? '' : 's'}.`,
    );
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) return tooLarge();
  // Read already by the Node adapter, within the same limits.
  const prepared = preparedRequestBody(request);
  if (prepared)
    return 'bytes' in prepared
      ? parse(prepared.bytes)
      : 'tooLarge' in prepared
        ? tooLarge()
        : tooSlow();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      for (;;) {
        const read = await Promise.race([reader.read(), deadline]);
        if (read === 'timeout') {
          void reader.cancel().catch(() => undefined);
          return tooSlow();
        }
        if (read.done) break;
        size += read.value.byteLength;
        if (size > maxBytes) {
          void reader.cancel().catch(() => undefined);
          return tooLarge();
        }
        chunks.push(read.value);
      }
    } finally {
      clearTimeout(timer);
    }
  }
  return parse(Buffer.concat(chunks));
}

const utf8 = new TextDecoder('utf-8', {fatal: true});

function parse(bytes: Uint8Array): unknown | Response {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    return problem(400, 'malformed-json', 'The body is not valid JSON.');
  }
}
