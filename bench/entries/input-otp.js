// input-otp (shadcn/ui's code input) with React and react-dom.
import {OTPInput} from 'input-otp';
import {createElement as h} from 'react';
import {flushSync} from 'react-dom';
import {createRoot} from 'react-dom/client';

const slots = ({slots}) =>
  h(
    'div',
    {style: {display: 'flex'}, 'data-boxes': ''},
    slots.map((slot, i) => h('div', {key: i}, slot.char ?? '')),
  );

export async function mount(container, count) {
  const root = createRoot(container);
  flushSync(() =>
    root.render(
      Array.from({length: count}, (_, i) =>
        h(OTPInput, {key: i, maxLength: 6, render: slots}),
      ),
    ),
  );
}

/** The first instance, for a keystroke: what to focus, where to watch, what its first box shows. */
export function keyTarget(container) {
  const box = container.querySelector('[data-boxes] > div');
  return {
    input: container.querySelector('input'),
    watch: [container],
    firstBox: () => box.textContent.trim(),
  };
}
