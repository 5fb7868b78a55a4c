// The "Try it" panel: its form drives the elements' attributes, as a page's own code would.
import type {ReactiveElement} from 'lit';

const settingsForm = () => document.querySelector<HTMLFormElement>('#settings-form')!;

/** Attributes the panel sets on every element, and those only `<otp-step>` has. */
const SHARED = ['length', 'alphabet', 'size'];
const STEP_ONLY = ['lifetime', 'max-attempts'];

export function applySettings(elements: HTMLElement[]): void {
  const data = new FormData(settingsForm());
  const lang = String(data.get('lang'));
  // For the page's CSS, which fits the boxes to a phone's width.
  document.documentElement.style.setProperty('--code-length', String(data.get('length')));
  for (const element of elements) {
    const isStep = element.localName === 'otp-step';
    for (const name of isStep ? [...SHARED, ...STEP_ONLY] : SHARED)
      element.setAttribute(name, String(data.get(name)));
    element.toggleAttribute('mask', data.has('mask'));
    if (isStep) element.toggleAttribute('no-auto-confirm', data.has('no-auto-confirm'));
    // The language is read from `lang` when the element renders.
    element.setAttribute('lang', lang);
    element.setAttribute('dir', lang.startsWith('ar') ? 'rtl' : 'ltr');
    // A changed `lang` alone is not a property change: ask for the render.
    (element as ReactiveElement).requestUpdate();
  }
}
