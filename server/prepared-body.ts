/**
 * What the Node adapter has already read or written for the handler, kept
 * beside the web `Request` and `Response`: bodies that would otherwise cross
 * web streams twice (Node stream → ReadableStream → bytes, and back), which
 * measured as about a third of a request's CPU on the memory store.
 */

/** A request body as the adapter read it, within the handler's limits, or why it stopped. */
export type PreparedBody = {bytes: Buffer} | {tooLarge: true} | {timedOut: true};

const requestBodies = new WeakMap<Request, PreparedBody>();
const responseBodies = new WeakMap<Response, string>();

export function prepareRequestBody(request: Request, body: PreparedBody): void {
  requestBodies.set(request, body);
}

export function preparedRequestBody(request: Request): PreparedBody | undefined {
  return requestBodies.get(request);
}

/** A response made from text, with the text kept so the adapter writes it as it is. */
export function textResponse(text: string, init: ResponseInit): Response {
  const response = new Response(text, init);
  responseBodies.set(response, text);
  return response;
}

export function preparedResponseBody(response: Response): string | undefined {
  return responseBodies.get(response);
}
