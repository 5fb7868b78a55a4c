import {expect, fixture, html} from '@open-wc/testing';
import {logEvents} from '../demo/event-log.js';

describe('the demo page: event log', () => {
  async function setUp() {
    const root = await fixture<HTMLElement>(html`
      <div>
        <div id="source"></div>
        <p id="empty">No events yet.</p>
        <ol id="log"></ol>
        <button id="clear">Clear</button>
      </div>
    `);
    const $ = <T extends HTMLElement>(id: string) => root.querySelector<T>(`#${id}`)!;
    logEvents($('source'), $<HTMLOListElement>('log'), $('empty'), $('clear'));
    const fire = (type: string, detail: object) =>
      $('source').dispatchEvent(new CustomEvent(type, {detail, bubbles: true}));
    return {$, fire};
  }

  it('writes one row per event, newest first, with its name and key fields', async () => {
    const {$, fire} = await setUp();
    const who = {stepName: 'login-2fa', user: 'maria.silva', client: 'web-portal'};
    fire('otp-request', {...who, resend: false});
    fire('otp-rejected', {...who, requestId: 'r-1', reason: 'invalid', attemptsLeft: 4});
    fire('otp-error', {code: 'network', message: 'The server did not answer.'});

    const rows = [...$('log').querySelectorAll('li')];
    expect(rows.map((row) => row.querySelector('.log-name')!.textContent)).to.deep.equal([
      'otp-error',
      'otp-rejected',
      'otp-request',
    ]);
    const rejected = rows[1].querySelector('summary')!.textContent!;
    expect(rejected).to.contain('maria.silva');
    expect(rejected).to.contain('reason invalid');
    expect(rejected).to.contain('attemptsLeft 4');
    expect(rows[0].querySelector('summary')!.textContent).to.contain('code network');
    expect($('empty').hidden).to.be.true;
  });

  it('keeps the whole detail behind the row, as JSON', async () => {
    const {$, fire} = await setUp();
    const detail = {stepName: 's', user: 'u', client: 'c', requestId: 'r-9'};
    fire('otp-expired', detail);
    const row = $('log').querySelector('details')!;
    expect(row.open).to.be.false;
    expect(JSON.parse(row.querySelector('pre')!.textContent!)).to.deep.equal(detail);
  });

  it('clears the log and says it is empty again', async () => {
    const {$, fire} = await setUp();
    fire('step-complete', {stepName: 's', user: 'u', client: 'c', requestId: 'r'});
    $('clear').click();
    expect($('log').children).to.have.length(0);
    expect($('empty').hidden).to.be.false;
  });
});
