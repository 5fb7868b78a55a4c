import type {ReactiveController, ReactiveControllerHost} from 'lit';
import {
  hasAllMessages,
  loadAllMessages,
  loadedFormatFor,
  loadMessages,
  messagesFor,
  triggerMessagesFor,
  type Format,
  type OtpStepMessages,
  type TriggerMessages,
} from './index.js';

/** An element that speaks: the page may give it messages of its own. */
export interface SpeakingHost extends ReactiveControllerHost, Element {
  messages?: Partial<OtpStepMessages>;
}

/** The language that applies to `element`: its own `lang` or its nearest ancestor's, across shadow roots. */
export function languageOf(element: Element): string {
  for (let node: Element | null = element; node;) {
    if (node.getAttribute('lang')) return node.getAttribute('lang')!;
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null);
  }
  // Rendered on a server (Lit's SSR, Node 20 has no navigator): English, until the browser's own render.
  return (typeof navigator !== 'undefined' && navigator.language) || 'en';
}

/**
 * Keeps the host's messages in its language: the trigger's lines in English at
 * once, all of them once `want()` was called and they have loaded, a built-in
 * language once it has loaded (then the host renders again), and the page's
 * own messages over them. A countdown renders every second, so the messages
 * are rebuilt only when the language or the page's messages change.
 */
export class LanguageController implements ReactiveController {
  /** The lines beside the trigger. */
  t: TriggerMessages = triggerMessagesFor('en');
  /** All the messages, for the dialog and `otp-error`: once `want()` has brought them. */
  all?: OtpStepMessages;
  /** Numbers and times in the language, for the lines after a code was asked for: brought with `all`. */
  f?: Format;
  /** The language `t` is in; numbers and times are written in it too. */
  lang = 'en';
  /** Set when `t` changed, until the host takes note (`takeChange()`). */
  #changed = false;
  #checked?: {lang: string; messages?: Partial<OtpStepMessages>};
  /** All the messages were asked for (the dialog or the flow is loading). */
  #wanted = false;

  readonly #host: SpeakingHost;

  /** Told of a language's messages while they load, so `updateComplete` can wait for them. */
  readonly #onLoading: (loading: Promise<unknown>) => void;

  constructor(host: SpeakingHost, onLoading: (loading: Promise<unknown>) => void) {
    this.#onLoading = onLoading;
    this.#host = host;
    host.addController(this);
  }

  hostUpdate(): void {
    this.#check();
  }

  /** The lines beside the trigger as they are now, even between renders (for `otp-error`'s text). */
  current(): TriggerMessages {
    this.#check();
    return this.t;
  }

  #check(): void {
    const lang = languageOf(this.#host);
    const {messages} = this.#host;
    // Checked again when all the messages have come since (another step brought them).
    const same = this.#checked?.lang === lang && this.#checked.messages === messages;
    if (same && (this.all || !hasAllMessages(lang))) return;
    this.#checked = {lang, messages};
    // English until they arrive; then check again, and render in the element's language.
    const loading =
      loadMessages(lang) ?? (this.#wanted ? loadAllMessages(lang) : undefined);
    if (loading) this.#onLoading(this.#then(loading));
    this.t = triggerMessagesFor(lang, messages);
    this.all = hasAllMessages(lang) ? messagesFor(lang, messages) : undefined;
    this.f = loadedFormatFor(lang);
    this.lang = lang;
    this.#changed = true;
  }

  /** Brings all the messages of the host's language (English included), and renders with them. */
  want(): Promise<unknown> {
    this.#wanted = true;
    const loading = loadAllMessages(languageOf(this.#host));
    return loading ? this.#then(loading) : Promise.resolve();
  }

  #then(loading: Promise<unknown>): Promise<unknown> {
    return loading.then(() => {
      this.#checked = undefined;
      this.#host.requestUpdate();
    });
  }

  /** Whether the messages changed since the last call. */
  takeChange(): boolean {
    const changed = this.#changed;
    this.#changed = false;
    return changed;
  }
}
