import {expect, fixture, html} from '@open-wc/testing';
import {sendMouse} from '@web/test-runner-commands';
import '../../src/input/otp-input.js';
import type {OtpInput} from '../../src/input/otp-input.js';
import {guardUncaughtErrors} from '../helpers.js';
import {boxes, boxesOf, inputOf, part, paste, press, type} from './helpers.js';

guardUncaughtErrors();

/** How many boxes each group holds, as drawn. */
const groupsOf = (el: OtpInput) =>
  [...part(el, 'boxes').children].map((g) => g.querySelectorAll('[part~="box"]').length);

/** The space between box i and box i + 1, as drawn. */
const spaceAfter = (el: OtpInput, i: number) => {
  const all = boxesOf(el);
  return all[i + 1].getBoundingClientRect().left - all[i].getBoundingClientRect().right;
};

async function focused(template = html`<otp-input></otp-input>`) {
  const el = await fixture<OtpInput>(template);
  el.focus();
  await el.updateComplete;
  return el;
}

/** A point inside box i, `at` of the way across it. */
function inBox(el: OtpInput, i: number, at = 0.5): [number, number] {
  const r = boxesOf(el)[i].getBoundingClientRect();
  return [Math.round(r.left + r.width * at), Math.round(r.top + r.height / 2)];
}

describe('<otp-input> group', () => {
  describe('draws', () => {
    it('6 characters as 123 456 and 8 as 1234 5678 by default; other lengths in one row', async () => {
      const drawn: Record<number, number[]> = {};
      for (const length of [4, 5, 6, 7, 8, 9, 10]) {
        const el = await fixture<OtpInput>(
          html`<otp-input length=${length}></otp-input>`,
        );
        drawn[length] = groupsOf(el);
      }
      expect(drawn).to.deep.equal({
        4: [4],
        5: [5],
        6: [3, 3],
        7: [7],
        8: [4, 4],
        9: [9],
        10: [10],
      });
    });

    it('as many in a group as group says, the last with what is left; 0 for none', async () => {
      const cases = [
        [6, '0', [6]],
        [8, '0', [8]],
        [10, '5', [5, 5]],
        [7, '3', [3, 3, 1]],
        [6, '2', [2, 2, 2]],
        [4, '1', [1, 1, 1, 1]],
        [6, '6', [6]],
        [6, '9', [6]],
      ] as const;
      for (const [length, group, expected] of cases) {
        const el = await fixture<OtpInput>(
          html`<otp-input length=${length} group=${group}></otp-input>`,
        );
        expect(groupsOf(el), `length ${length}, group ${group}`).to.deep.equal(expected);
        expect(boxesOf(el)).to.have.length(length);
      }
    });

    it('falls back to the default for a group that is not a whole number from 0 up', async () => {
      for (const group of ['-1', 'three', '', '-0.5'])
        for (const [length, expected] of [
          [6, [3, 3]],
          [8, [4, 4]],
          [10, [10]],
        ] as const) {
          const el = await fixture<OtpInput>(
            html`<otp-input length=${length} group=${group}></otp-input>`,
          );
          expect(groupsOf(el), `length ${length}, group "${group}"`).to.deep.equal(
            expected,
          );
        }
    });

    it('follows the group and length properties, and a removed attribute', async () => {
      const el = await fixture<OtpInput>(html`<otp-input group="2"></otp-input>`);
      expect(groupsOf(el)).to.deep.equal([2, 2, 2]);
      el.group = 0;
      await el.updateComplete;
      expect(groupsOf(el)).to.deep.equal([6]);
      el.removeAttribute('group');
      await el.updateComplete;
      expect(groupsOf(el)).to.deep.equal([3, 3]);
      el.length = 8;
      await el.updateComplete;
      expect(groupsOf(el)).to.deep.equal([4, 4]);
      el.group = 5;
      el.length = 10;
      await el.updateComplete;
      expect(groupsOf(el)).to.deep.equal([5, 5]);
    });

    it('leaves three gaps between groups, in every size and box size', async () => {
      const fixtures = [
        html`<otp-input size="small"></otp-input>`,
        html`<otp-input></otp-input>`,
        html`<otp-input size="large"></otp-input>`,
        html`<otp-input style="--otp-input-box-size: 5em"></otp-input>`,
        html`<otp-input style="--otp-input-box-size: 30px"></otp-input>`,
      ];
      for (const template of fixtures) {
        const el = await fixture<OtpInput>(template);
        const box = boxesOf(el)[0].getBoundingClientRect().width;
        const inGroup = spaceAfter(el, 0);
        const between = spaceAfter(el, 2);
        // Box, gap, group gap: all scale together.
        expect(inGroup / box, 'a gap is a 1/6.5 box').to.be.closeTo(1 / 6.5, 0.01);
        expect(between, 'between groups').to.be.closeTo(3 * inGroup, 1);
        expect(spaceAfter(el, 3)).to.be.closeTo(inGroup, 0.5);
      }
    });

    it('keeps the row one box high and the boxes in order, left to right, on every page', async () => {
      const root = await fixture<HTMLDivElement>(
        html`<div dir="rtl" lang="ar">
          <otp-input value="48291357" length="8"></otp-input>
        </div>`,
      );
      const el = root.querySelector('otp-input')!;
      await el.updateComplete;
      const rects = boxesOf(el).map((b) => b.getBoundingClientRect());
      expect(boxes(el).text).to.equal('4|8|2|9|1|3|5|7');
      for (let i = 1; i < rects.length; i++) {
        expect(rects[i].left, `box ${i + 1}`).to.be.above(rects[i - 1].right);
        expect(rects[i].top).to.equal(rects[0].top);
      }
    });
  });

  describe('keeps the value unbroken', () => {
    it('typed across the gap: no space in the value, the input or the form', async () => {
      const form = await fixture<HTMLFormElement>(
        html`<form><otp-input name="code"></otp-input></form>`,
      );
      const el = form.querySelector('otp-input')!;
      el.focus();
      await type('123456');
      await el.updateComplete;
      expect(el.value).to.equal('123456');
      expect(inputOf(el).value).to.equal('123456');
      expect(new FormData(form).get('code')).to.equal('123456');
      expect(boxes(el)).to.deep.equal({text: '1|2|3|4|5|6', active: 5});
    });

    it('pasted or autofilled as the person sees it grouped (123 456, 1234-5678)', async () => {
      const six = await focused();
      paste(six, '123 456');
      await six.updateComplete;
      expect(six.value).to.equal('123456');
      const eight = await focused(html`<otp-input length="8"></otp-input>`);
      const inserted = document.execCommand('insertText', false, '1234-5678');
      if (!inserted) paste(eight, '1234-5678');
      await eight.updateComplete;
      expect(eight.value).to.equal('12345678');
      expect(inputOf(eight).value).to.equal('12345678');
      const recovery = await focused(
        html`<otp-input length="10" group="5" alphabet="alphanumeric"></otp-input>`,
      );
      paste(recovery, 'k7q2m-9xw4p');
      await recovery.updateComplete;
      expect(recovery.value).to.equal('K7Q2M9XW4P');
      expect(boxes(recovery).text).to.equal('K|7|Q|2|M|9|X|W|4|P');
    });

    it('deletes and moves across the gap as if there were none', async () => {
      const el = await focused();
      await type('123456');
      await press('Home', 'ArrowRight', 'ArrowRight', 'ArrowRight');
      await el.updateComplete;
      expect(boxes(el).active, 'first box of the second group').to.equal(3);
      await press('ArrowLeft');
      await el.updateComplete;
      expect(boxes(el).active, 'back over the gap').to.equal(2);
      await press('ArrowRight', 'Backspace');
      await el.updateComplete;
      expect(el.value, 'Backspace at the gap deletes the character before it').to.equal(
        '12456',
      );
      expect(boxes(el)).to.deep.equal({text: '1|2|4|5|6|', active: 2});
      await press('Delete');
      await el.updateComplete;
      expect(el.value).to.equal('1256');
      await type('34');
      await el.updateComplete;
      expect(el.value, 'typing overwrites across the gap').to.equal('1234');
    });
  });

  describe('maps the pointer to the box drawn under it', () => {
    for (const [length, group] of [
      [6, undefined],
      [8, undefined],
      [10, '5'],
      [10, '2'],
      [7, '3'],
      [6, '0'],
    ] as const)
      it(`puts the caret in the box clicked: ${length} characters, group ${group ?? 'by default'}`, async () => {
        const el = await focused(
          html`<otp-input length=${length} group=${group ?? ''}></otp-input>`,
        );
        await type('1234567890'.slice(0, length));
        const landed: number[] = [];
        for (let i = 0; i < length; i++) {
          // Near its edges too, where a box evenly spaced would not be.
          for (const at of [0.1, 0.9]) {
            await sendMouse({type: 'click', position: inBox(el, i, at)});
            await el.updateComplete;
            landed.push(boxes(el).active);
          }
        }
        expect(landed).to.deep.equal(
          Array.from({length: 2 * length}, (_, i) => Math.floor(i / 2)),
        );
      });

    it('puts the caret before the gap for a click in it', async () => {
      const el = await focused();
      await type('123456');
      const third = boxesOf(el)[2].getBoundingClientRect();
      const fourth = boxesOf(el)[3].getBoundingClientRect();
      await sendMouse({
        type: 'click',
        position: [
          Math.round((third.right + fourth.left) / 2),
          Math.round(third.top + third.height / 2),
        ],
      });
      await el.updateComplete;
      expect(boxes(el).active).to.equal(2);
    });

    it('selects what a drag over the boxes selects without groups', async () => {
      // Each engine has its own rule for where in a letter-spaced character a
      // pointer falls; what grouping must not change is which box it is over.
      // Ten in pairs: four group gaps, the most a row has, so characters spaced
      // as if there were none would be more than a box off by the end.
      const drags = [
        [0, 9],
        [2, 5],
        [4, 7],
        [8, 9],
        [5, 6],
      ];
      const selected: Record<string, number[][]> = {};
      for (const group of ['0', '2']) {
        const el = await focused(
          html`<otp-input length="10" group=${group}></otp-input>`,
        );
        await type('1234567890');
        const input = inputOf(el);
        selected[group] = [];
        for (const [from, to] of drags) {
          // A caret first: a drag that starts in a selection moves the selected text.
          input.setSelectionRange(0, 0);
          await sendMouse({type: 'move', position: inBox(el, from, 0.25)});
          await sendMouse({type: 'down'});
          await sendMouse({type: 'move', position: inBox(el, to, 0.75)});
          await sendMouse({type: 'up'});
          selected[group].push([input.selectionStart!, input.selectionEnd!]);
        }
        expect(input.scrollLeft, 'the full code is not scrolled').to.equal(0);
      }
      expect(selected['2']).to.deep.equal(selected['0']);
      // And a drag selects something: from its box on.
      for (const [i, [start, end]] of selected['0'].entries())
        expect(end - start, `drag ${drags[i].join('–')}`).to.be.above(0);
    });
  });
});
