/**
 * How a runtime's request reaches the handler's core and how its answer comes
 * back: a small typed description of each, and nothing else. The Node adapter
 * (node-adapter.ts) makes one from Node's IncomingMessage and writes the answer
 * to its ServerResponse; the Fetch adapter (fetch-adapter.ts) makes one from a
 * web `Request` and turns the answer into a `Response`. The core (otp-core.ts)
 * reads only this, so both runtimes take one path through the same code.
 */

/** How much body the handler takes, and how long it waits for it (`OtpHandler.bodyLimits`). */
export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

/** A request body as read within the limits, or why reading it stopped. */
export type RequestBody = {bytes: Uint8Array} | {tooLarge: true} | {timedOut: true};

/** A request as the core reads it, whichever runtime it came from. */
export interface OtpRequest {
  /** Upper-case, as sent. */
  readonly method: string;
  /** The URL's path, without the query. */
  readonly path: string;
  /** A header's value (`name` in lower case); several of one name joined with ", ". */
  header(name: string): string | undefined;
  /** Reads the body within `limits`; at most once. */
  body(limits: BodyLimits): Promise<RequestBody>;
  /** The socket's address, where the runtime knows it (Node does; a web `Request` does not). */
  readonly socketAddress?: string;
  /**
   * The request as a web `Request`, for the app's hooks (`authenticate`,
   * `lookupUser`, `onConfirmed`, `clientAddress`), which are typed with one.
   * The Node adapter builds it only when a hook asks, and without the body,
   * which the handler has read.
   */
  web(): Request;
}

/** The core's answer: a status, headers (lower-case names) and a text body. */
export class OtpAnswer {
  constructor(
    readonly status: number,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: string,
  ) {}
}

/** What an adapter needs of a handler to run it on a runtime's own request and response. */
export interface OtpEndpoint {
  /** The handler's core: answers a request of any runtime. */
  answer(request: OtpRequest): Promise<OtpAnswer>;
  /** How much body the handler takes and how long it waits: adapters read bodies to these. */
  readonly bodyLimits: BodyLimits;
  /**
   * True for the paths this handler answers (the authenticator's only where
   * it is on): middleware passes the others on. Without it, `isOtpRoute`.
   */
  handles?(pathname: string): boolean;
}
