// The floor for click → code visible: the least a Lit element can do for the same
// step. A click makes a six-digit code from the CSPRNG (without modulo bias), keeps
// a salted SHA-256 digest of it in IndexedDB (idb-keyval), and shows the code and
// an input for it in a modal <dialog>. No flow, no events but the one the
// benchmark waits for, no countdown, no languages.
import {LitElement, css, html, nothing} from 'lit';
import {createStore, set} from 'idb-keyval';

const store = createStore('bench-lit-modal', 'challenges');

function sixDigits() {
  const out = new Uint8Array(6);
  for (let i = 0; i < 6;) {
    const [byte] = crypto.getRandomValues(new Uint8Array(1));
    // 250 is the largest multiple of 10 below 256: larger bytes would favour 0–5.
    if (byte < 250) out[i++] = byte % 10;
  }
  return out.join('');
}

class BenchLitModal extends LitElement {
  static properties = {user: {}, code: {state: true}};
  static styles = css`
    dialog {
      padding: 1.25rem;
      border-radius: 12px;
    }
    [part~='code'] {
      font-family: monospace;
      font-size: 1.4em;
    }
  `;

  constructor() {
    super();
    this.user = '';
    this.code = '';
  }

  async handleClick() {
    const code = sixDigits();
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const digest = await crypto.subtle.digest(
      'SHA-256',
      new Uint8Array([...salt, ...new TextEncoder().encode(code)]),
    );
    await set(this.user, {salt, digest, expiresAt: Date.now() + 300_000}, store);
    this.code = code;
    await this.updateComplete;
    this.renderRoot.querySelector('dialog').showModal();
    this.dispatchEvent(new CustomEvent('otp-issued'));
  }

  get forTestCode() {
    return this.code;
  }

  render() {
    return html`<button part="trigger" @click=${this.handleClick}>Get code</button>
      <dialog>
        <h2>Enter the one-time code</h2>
        ${this.code ? html`<output part="code">${this.code}</output>` : nothing}
        <input autocomplete="one-time-code" inputmode="numeric" aria-label="Code" />
        <button>Confirm</button>
      </dialog>`;
  }
}
customElements.define('bench-lit-modal', BenchLitModal);

let users = 0;

export async function mount(container, count) {
  const elements = Array.from({length: count}, () => {
    const el = document.createElement('bench-lit-modal');
    el.user = `bench-${++users}`;
    return el;
  });
  container.append(...elements);
  await Promise.all(elements.map((el) => el.updateComplete));
}
