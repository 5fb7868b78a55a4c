// input-otp (shadcn/ui's code input) with React and react-dom.
import {OTPInput} from 'input-otp';
import {createElement as h} from 'react';
import {flushSync} from 'react-dom';
import {createRoot} from 'react-dom/client';

const slots = ({slots}) =>
  h(
    'div',
    {style: {display: 'flex'}},
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
