import type {ReactiveController, ReactiveControllerHost} from 'lit';

/**
 * Keeps something running for its host while the host is on the page and
 * `wanted()` holds (a countdown, a watch on another element), and stops it as
 * soon as either ends: checked on connect, on disconnect and after every update.
 */
export class WhileController implements ReactiveController {
  #stop?: () => void;

  readonly #host: ReactiveControllerHost & Element;

  readonly #wanted: () => boolean;
  /** Starts it, and returns how to stop it. */
  readonly #start: () => () => void;

  constructor(
    host: ReactiveControllerHost & Element,
    wanted: () => boolean,
    start: () => () => void,
  ) {
    this.#wanted = wanted;
    this.#start = start;
    this.#host = host;
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
    if (this.#host.isConnected && this.#wanted()) {
      this.#stop ??= this.#start();
    } else if (this.#stop) {
      this.#stop();
      this.#stop = undefined;
    }
  }
}
