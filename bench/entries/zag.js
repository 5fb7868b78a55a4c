// Zag's pin input with its vanilla adapter: a root and six inputs per instance.
import * as pinInput from '@zag-js/pin-input';
import {normalizeProps, spreadProps, VanillaMachine} from '@zag-js/vanilla';

let ids = 0;

function create() {
  const root = document.createElement('div');
  const inputs = Array.from({length: 6}, () => document.createElement('input'));
  root.append(...inputs);
  const machine = new VanillaMachine(pinInput.machine, {id: `pin-${++ids}`, count: 6});
  const render = () => {
    const api = pinInput.connect(machine.service, normalizeProps);
    spreadProps(root, api.getRootProps());
    inputs.forEach((input, index) => spreadProps(input, api.getInputProps({index})));
  };
  machine.subscribe(render);
  machine.start();
  render();
  return root;
}

export async function mount(container, count) {
  container.append(...Array.from({length: count}, create));
}

/**
 * The first instance, for a keystroke: what to focus, where to watch, what its first
 * box shows (a box is an <input> of its own, showing its value).
 */
export function keyTarget(container) {
  const box = container.querySelector('input');
  return {input: box, watch: [container], firstBox: () => box.value};
}
