// <otp-input> alone, as a bundler user gets it: the published modules, with lit.
import '../../dist/lib/input/otp-input.js';

export async function mount(container, count) {
  const elements = Array.from({length: count}, () => document.createElement('otp-input'));
  container.append(...elements);
  await Promise.all(elements.map((el) => el.updateComplete));
}

/** The first instance, for a keystroke: what to focus, where to watch, what its first box shows. */
export function keyTarget(container) {
  const el = container.querySelector('otp-input');
  const box = el.shadowRoot.querySelector('[part~="box"]');
  return {input: el, watch: [el.shadowRoot], firstBox: () => box.textContent.trim()};
}
