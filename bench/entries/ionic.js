// Ionic's ion-input-otp, from @ionic/core/components (initialize() brings its styles).
import {initialize} from '@ionic/core/components';
import {defineCustomElement} from '@ionic/core/components/ion-input-otp.js';

initialize();
defineCustomElement();

export async function mount(container, count) {
  const elements = Array.from({length: count}, () => {
    const el = document.createElement('ion-input-otp');
    el.length = 6;
    return el;
  });
  container.append(...elements);
  // The custom-elements build has no componentOnReady: wait for the inputs to be drawn.
  const drawn = () =>
    elements.every((el) => (el.shadowRoot ?? el).querySelectorAll('input').length === 6);
  while (!drawn()) await new Promise((resolve) => requestAnimationFrame(resolve));
}

/**
 * The first instance, for a keystroke: what to focus, where to watch, what its first
 * box shows (a box is an <input> of its own, showing its value).
 */
export function keyTarget(container) {
  const el = container.querySelector('ion-input-otp');
  const root = el.shadowRoot ?? el;
  const box = root.querySelector('input');
  return {input: box, watch: [root], firstBox: () => box.value};
}
