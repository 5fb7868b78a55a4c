// <otp-step> as a bundler user gets it: the published modules, with lit and idb-keyval.
import '../../dist/lib/otp-step.js';

let users = 0;

export async function mount(container, count) {
  const elements = Array.from({length: count}, () => {
    const el = document.createElement('otp-step');
    el.setAttribute('user', `bench-${++users}`);
    el.setAttribute('demo', '');
    return el;
  });
  container.append(...elements);
  await Promise.all(elements.map((el) => el.updateComplete));
}
