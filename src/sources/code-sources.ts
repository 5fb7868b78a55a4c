import {openChallengeStore, type ChallengeStore} from '../challenge/challenge-store.js';
import {OtpStepError} from '../errors.js';
import {developerMessages} from '../messages/developer.js';
import type {CodeSource, SourceChoice} from './code-source.js';
import type {HttpSourceOptions} from './http-source.js';

/** The element's settings that pick and configure its code source, read when used. */
export type SourceSettings = SourceChoice & Omit<HttpSourceOptions, 'endpoint'>;

/**
 * Picks the code source the settings name: the page's own, else the backend at
 * `endpoint`, else, with `demo`, the local demo generator. Each is loaded when
 * first used, so an idle element, or a page in backend mode, never pays for the other.
 */
/** The sources' code once loaded for the page: later steps need not wait for an import each. */
let local: typeof import('./local-source.js') | undefined;
let http: typeof import('./http-source.js') | undefined;

export class CodeSources {
  #store?: Promise<ChallengeStore>;
  #local?: CodeSource;
  #http?: CodeSource;

  readonly #settings: SourceSettings;

  /** Told once when IndexedDB is unavailable and challenges live in memory only. */
  readonly #onVolatileStore: () => void;

  constructor(settings: SourceSettings, onVolatileStore: () => void) {
    this.#onVolatileStore = onVolatileStore;
    this.#settings = settings;
  }

  async get(): Promise<CodeSource> {
    const settings = this.#settings;
    if (settings.source) return settings.source;
    if (!settings.endpoint && !settings.demo)
      throw new OtpStepError('no-source', developerMessages['no-source']);
    this.#store ??= openChallengeStore().then((store) => {
      if (!store.persistent) this.#onVolatileStore();
      return store;
    });
    const store = await this.#store;
    if (!settings.endpoint) {
      const {localCodeSource} = (local ??= await import('./local-source.js'));
      return (this.#local ??= localCodeSource(store));
    }
    const {httpCodeSource} = (http ??= await import('./http-source.js'));
    // The options are read on every request, so a changed endpoint or header applies at once.
    return (this.#http ??= httpCodeSource(store, () => ({
      endpoint: settings.endpoint,
      timeout: settings.timeout,
      credentials: settings.credentials,
      headers: settings.headers,
      humanCheck: settings.humanCheck,
    })));
  }
}
