// The floor: Lit alone, as one element that renders six <input>s (the budget's
// yardstick for 1,000 idle elements).
import {LitElement, html} from 'lit';

class BenchLit extends LitElement {
  render() {
    return html`${[0, 1, 2, 3, 4, 5].map(() => html`<input inputmode="numeric" />`)}`;
  }
}
customElements.define('bench-lit', BenchLit);

export async function mount(container, count) {
  const elements = Array.from({length: count}, () => document.createElement('bench-lit'));
  container.append(...elements);
  await Promise.all(elements.map((el) => el.updateComplete));
}
