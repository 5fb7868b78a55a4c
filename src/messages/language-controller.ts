import type {ReactiveController, ReactiveControllerHost} from 'lit';
import {loadMessages, messagesFor, type OtpStepMessages} from './index.js';

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
 * Keeps the host's messages in its language: English at once, a built-in
 * language once it has loaded (then the host renders again), and the page's
 * own messages over them. A countdown renders every second, so the messages
 * are rebuilt only when the language or the page's messages change.
 */
export class LanguageController implements ReactiveController {
  t: OtpStepMessages = messagesFor('en');
  /** The language `t` is in; numbers and times are written in it too. */
  lang = 'en';
  /** Set when `t` changed, until the host takes note (`takeChange()`). */
  private changed = false;
  private checked?: {lang: string; messages?: Partial<OtpStepMessages>};

  constructor(
    private readonly host: SpeakingHost,
    /** Told of a language's messages while they load, so `updateComplete` can wait for them. */
    private readonly onLoading: (loading: Promise<unknown>) => void,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    const lang = languageOf(this.host);
    const {messages} = this.host;
    if (this.checked?.lang === lang && this.checked.messages === messages) return;
    this.checked = {lang, messages};
    const loading = loadMessages(lang);
    // English until they arrive; then check again, and render in the element's language.
    if (loading)
      this.onLoading(
        loading.then(() => {
          this.checked = undefined;
          this.host.requestUpdate();
        }),
      );
    this.t = messagesFor(lang, messages);
    this.lang = lang;
    this.changed = true;
  }

  /** Whether the messages changed since the last call. */
  takeChange(): boolean {
    const changed = this.changed;
    this.changed = false;
    return changed;
  }
}
