import type {BodyLimits, OtpAnswer, OtpRequest, RequestBody} from './exchange.js';

/**
 * A web `Request` as the core reads it, for runtimes and frameworks that speak
 * the Fetch API (Deno, Bun, workers, Hono). The body is read from its stream
 * within the limits; a web `Request` has no socket address.
 */
export function fromFetchRequest(request: Request): OtpRequest {
  return {
    method: request.method,
    path: new URL(request.url).pathname,
    header: (name) => request.headers.get(name) ?? undefined,
    body: (limits) => readStream(request.body, limits),
    web: () => request,
  };
}

/** The core's answer as a web `Response`. */
export function toFetchResponse(answer: OtpAnswer): Response {
  return new Response(answer.body, {status: answer.status, headers: answer.headers});
}

/** Reads a web stream within the limits; a reader that stops early cancels the stream. */
async function readStream(
  stream: ReadableStream<Uint8Array> | null,
  {maxBytes, timeoutMs}: BodyLimits,
): Promise<RequestBody> {
  if (!stream) return {bytes: new Uint8Array()};
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    for (;;) {
      const read = await Promise.race([reader.read(), deadline]);
      if (read === 'timeout') {
        void reader.cancel().catch(() => undefined);
        return {timedOut: true};
      }
      if (read.done) break;
      size += read.value.byteLength;
      if (size > maxBytes) {
        void reader.cancel().catch(() => undefined);
        return {tooLarge: true};
      }
      chunks.push(read.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return {bytes: Buffer.concat(chunks, size)};
}
