import type {ReactiveController, ReactiveControllerHost} from 'lit';

interface OtpCredential extends Credential {
  code: string;
}

/** The browser's side of WebOTP: `navigator.credentials.get`, which a test can stand in for. */
export type CredentialsGet = (
  options: CredentialRequestOptions,
) => Promise<Credential | null>;

const browserGet: CredentialsGet = (options) => navigator.credentials.get(options);

/**
 * Asks the browser for a code that arrives by SMS (WebOTP) for as long as the
 * host wants one, and hands it over. The request is aborted as soon as `wanted()`
 * turns false (checked on connect, disconnect and after every update), and ends
 * once a code came or the browser said no: only a `wanted()` that turns false and
 * then true again asks anew, so a refusal never loops. No rejection escapes.
 * In an iframe the browser allows WebOTP only with `allow="otp-credentials"`.
 */
export class WebOtpController implements ReactiveController {
  #request?: AbortController;
  /** The last request ended while still wanted. */
  #done = false;

  readonly #get: CredentialsGet;

  readonly #wanted: () => boolean;
  readonly #onCode: (code: string) => void;

  constructor(
    host: ReactiveControllerHost,
    wanted: () => boolean,
    onCode: (code: string) => void,
    get: CredentialsGet = browserGet,
  ) {
    this.#wanted = wanted;
    this.#onCode = onCode;
    this.#get = get;
    host.addController(this);
  }

  hostConnected(): void {
    this.#sync();
  }

  hostDisconnected(): void {
    this.#sync();
  }

  hostUpdated(): void {
    this.#sync();
  }

  #sync(): void {
    if (!this.#wanted() || !('OTPCredential' in window)) {
      this.#request?.abort();
      this.#request = undefined;
      this.#done = false;
    } else if (!this.#request && !this.#done) {
      void this.#listen((this.#request = new AbortController()));
    }
  }

  async #listen(request: AbortController): Promise<void> {
    const {signal} = request;
    try {
      const credential = (await this.#get({
        otp: {transport: ['sms']},
        signal,
      } as CredentialRequestOptions)) as OtpCredential | null;
      if (credential?.code && !signal.aborted) this.#onCode(credential.code);
    } catch {
      // Aborted, refused or unsupported: the person types the code instead.
    }
    if (this.#request !== request) return;
    request.abort();
    this.#request = undefined;
    this.#done = true;
  }
}
