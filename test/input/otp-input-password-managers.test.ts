import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import sinon from 'sinon';
import '../../src/input/otp-input.js';
import type {OtpInput} from '../../src/input/otp-input.js';
import {BADGES} from '../../src/input/password-managers.js';
import {guardUncaughtErrors} from '../helpers.js';
import {boxesOf, inputOf, part, type} from './helpers.js';

guardUncaughtErrors();

/**
 * What each password manager puts in the page when it takes the input for one
 * it fills, as it does it. No manager runs in a test browser, so this is their
 * markup as documented or observed: LastPass's icon root in pages saved with it
 * (`<div data-lastpass-icon-root="true" style="position: relative !important;
 * height: 0px !important; width: 0px !important; float: left !important;">`,
 * the last child of the input's parent); 1Password's `<com-1password-button>`
 * with a closed shadow root at the end of `<body>`; Dashlane's
 * `<span data-dashlanecreated="true">` right after the input (pages that check
 * `input.nextElementSibling` for it); Bitwarden's inline menu button
 * (bitwarden/clients, autofill-inline-menu-content.service.ts: a custom element
 * of a random name in Chromium, a `<div>` in Firefox, `popover="manual"`, its
 * styles set one by one with `setProperty(…, 'important')`, appended to
 * `<body>` and shown). Each returns what it added, to take away.
 */
const MANAGERS: Record<string, (input: HTMLInputElement) => Element> = {
  LastPass(input) {
    const root = document.createElement('div');
    root.setAttribute('data-lastpass-icon-root', 'true');
    root.setAttribute(
      'style',
      'position: relative !important; height: 0px !important; width: 0px !important; float: left !important;',
    );
    root.attachShadow({mode: 'open'});
    input.parentElement!.append(root);
    return root;
  },
  '1Password'() {
    const button = document.createElement('com-1password-button');
    button.attachShadow({mode: 'closed'});
    document.body.append(button);
    return button;
  },
  Dashlane(input) {
    const span = document.createElement('span');
    span.id = `${Date.now()}-4`;
    span.setAttribute('data-dashlanecreated', 'true');
    span.setAttribute(
      'style',
      'color: initial; font: initial; forced-color-adjust: initial;',
    );
    input.insertAdjacentElement('afterend', span);
    return span;
  },
  'Bitwarden (Chromium)'() {
    const name = `bw-${Math.random().toString(36).slice(2)}`;
    customElements.define(name, class extends HTMLElement {});
    return bitwardenButton(document.createElement(name));
  },
  'Bitwarden (Firefox)'() {
    return bitwardenButton(document.createElement('div'));
  },
};

function bitwardenButton(button: HTMLElement): HTMLElement {
  button.setAttribute('popover', 'manual');
  const styles = {
    all: 'initial',
    position: 'fixed',
    display: 'block',
    'z-index': '2147483647',
  };
  for (const [property, value] of Object.entries(styles))
    button.style.setProperty(property, value, 'important');
  document.body.append(button);
  button.showPopover?.();
  return button;
}

/** Where the managers draw their badge: about 24px square, its centre 18px from the input's end (input-otp's model). */
function badgeArea(input: HTMLInputElement) {
  const r = input.getBoundingClientRect();
  const middle = r.top + r.height / 2;
  return {left: r.right - 30, right: r.right - 6, top: middle - 12, bottom: middle + 12};
}

const overlaps = (a: DOMRect, b: ReturnType<typeof badgeArea>) =>
  a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;

/** The space between the last box and the input's end: the badge's room. */
const roomOf = (el: OtpInput) =>
  inputOf(el).getBoundingClientRect().right -
  boxesOf(el).at(-1)!.getBoundingClientRect().right;

const hasRoom = (el: OtpInput) => roomOf(el) >= 40 - 0.5;

describe('<otp-input> room for a password manager’s badge', () => {
  const added: Element[] = [];
  let clock: sinon.SinonFakeTimers | undefined;
  afterEach(() => {
    clock?.restore();
    clock = undefined;
    for (const element of added.splice(0)) element.remove();
  });

  for (const [manager, mark] of Object.entries(MANAGERS))
    it(`leaves 40px at the input's end once ${manager} marks it, with no box under the badge`, async () => {
      const el = await fixture<OtpInput>(html`<otp-input></otp-input>`);
      const input = inputOf(el);
      const before = input.getBoundingClientRect();
      expect(roomOf(el), 'no room before').to.be.closeTo(0, 0.5);
      added.push(mark(input));
      expect(
        [document, el.shadowRoot!].some((root) => root.querySelector(BADGES)),
        'the marker is one looked for',
      ).to.be.true;
      el.focus();
      await waitUntil(() => hasRoom(el), 'room for the badge', {timeout: 3000});
      await el.updateComplete;

      const after = input.getBoundingClientRect();
      expect(roomOf(el)).to.be.closeTo(40, 0.5);
      expect(after.width, 'the input grew by the room').to.be.closeTo(
        before.width + 40,
        0.5,
      );
      expect(after.height, 'and kept its height').to.be.closeTo(before.height, 0.5);
      expect(after.left, 'from where it was').to.be.closeTo(before.left, 0.5);
      const area = badgeArea(input);
      for (const [i, box] of boxesOf(el).entries())
        expect(
          overlaps(box.getBoundingClientRect(), area),
          `box ${i + 1} under the badge`,
        ).to.be.false;
      // What the managers find it by is as it was: autofill still finds it.
      expect(el.shadowRoot!.querySelectorAll('input')).to.have.length(1);
      expect(input.getAttribute('autocomplete')).to.equal('one-time-code');
      expect(input.inputMode).to.equal('numeric');
      expect(input.getAttribute('aria-label')).to.equal('One-time code');
      expect(el.getBoundingClientRect().right, 'the host holds the room').to.be.closeTo(
        after.right,
        0.5,
      );
      await type('482913');
      await el.updateComplete;
      expect(el.value).to.equal('482913');
    });

  it('looks again as the badge arrives after focus, and stops looking after 2 s', async () => {
    clock = sinon.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
    const late = await fixture<OtpInput>(html`<otp-input></otp-input>`);
    late.focus();
    clock.tick(300);
    added.push(MANAGERS['1Password'](inputOf(late)));
    clock.tick(199);
    await late.updateComplete;
    expect(hasRoom(late), 'not yet looked again').to.be.false;
    clock.tick(1);
    await late.updateComplete;
    expect(hasRoom(late), 'at 0.5 s').to.be.true;

    for (const element of added.splice(0)) element.remove();
    const later = await fixture<OtpInput>(html`<otp-input></otp-input>`);
    later.focus();
    clock.tick(1500);
    added.push(MANAGERS.LastPass(inputOf(later)));
    clock.tick(500);
    await later.updateComplete;
    expect(hasRoom(later), 'at 2 s').to.be.true;

    for (const element of added.splice(0)) element.remove();
    const never = await fixture<OtpInput>(html`<otp-input></otp-input>`);
    never.focus();
    clock.tick(2001);
    added.push(MANAGERS.Dashlane(inputOf(never)));
    clock.tick(60_000);
    await never.updateComplete;
    expect(hasRoom(never), 'after 2 s, not until the next focus').to.be.false;
    inputOf(never).blur();
    never.focus();
    clock.tick(0);
    await never.updateComplete;
    expect(hasRoom(never), 'at the next focus').to.be.true;
  });

  it('leaves no room without a manager’s marker', async () => {
    clock = sinon.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
    const el = await fixture<OtpInput>(html`<otp-input></otp-input>`);
    // Things that look a little like them: a page's own popover, a manager's
    // ignore attribute, an element whose z-index is high but not a manager's.
    const own = document.createElement('div');
    own.setAttribute('style', 'position: fixed; z-index: 1000;');
    own.setAttribute('data-lpignore', 'true');
    own.setAttribute('data-1p-ignore', '');
    document.body.append(own);
    added.push(own);
    el.focus();
    clock.tick(10_000);
    await el.updateComplete;
    expect(roomOf(el)).to.be.closeTo(0, 0.5);
    expect(getComputedStyle(part(el, 'entry')).paddingRight).to.equal('0px');
  });

  it('keeps the room once the badge goes, so the boxes do not move again', async () => {
    const el = await fixture<OtpInput>(html`<otp-input></otp-input>`);
    const badge = MANAGERS['1Password'](inputOf(el));
    el.focus();
    await waitUntil(() => hasRoom(el), 'room', {timeout: 3000});
    inputOf(el).blur();
    badge.remove();
    await el.updateComplete;
    expect(hasRoom(el)).to.be.true;
  });

  it('leaves the room at the right on a right-to-left page, where the managers draw on a left-to-right input', async () => {
    const root = await fixture<HTMLDivElement>(
      html`<div dir="rtl" lang="ar"><otp-input></otp-input></div>`,
    );
    const el = root.querySelector('otp-input')!;
    await el.updateComplete;
    added.push(MANAGERS.LastPass(inputOf(el)));
    el.focus();
    await waitUntil(() => hasRoom(el), 'room', {timeout: 3000});
    expect(getComputedStyle(inputOf(el)).direction).to.equal('ltr');
    const input = inputOf(el).getBoundingClientRect();
    expect(boxesOf(el)[0].getBoundingClientRect().left).to.be.closeTo(input.left, 0.5);
    expect(roomOf(el)).to.be.closeTo(40, 0.5);
  });

  it('shrinks the boxes of a grouped code to fit the room into a narrow container', async () => {
    const root = await fixture<HTMLDivElement>(
      html`<div style="width: 320px">
        <otp-input
          style="display: block; container-type: inline-size"
          length="8"
        ></otp-input>
      </div>`,
    );
    const el = root.querySelector('otp-input')!;
    await el.updateComplete;
    const wide = boxesOf(el)[0].getBoundingClientRect().width;
    added.push(MANAGERS['Bitwarden (Firefox)'](inputOf(el)));
    el.focus();
    await waitUntil(() => hasRoom(el), 'room', {timeout: 3000});
    const host = el.getBoundingClientRect();
    const boxes = boxesOf(el).map((b) => b.getBoundingClientRect());
    expect(boxes[0].width, 'smaller for the room').to.be.below(wide);
    expect(boxes.at(-1)!.right + 40, 'boxes and room within the host').to.be.at.most(
      host.right + 0.5,
    );
    expect(boxes[0].left).to.be.at.least(host.left - 0.5);
  });

  it('passes axe with the room', async () => {
    const el = await fixture<OtpInput>(
      html`<otp-input label="6-digit code"></otp-input>`,
    );
    added.push(MANAGERS['1Password'](inputOf(el)));
    el.focus();
    await waitUntil(() => hasRoom(el), 'room', {timeout: 3000});
    await expect(el).to.be.accessible();
  });
});
