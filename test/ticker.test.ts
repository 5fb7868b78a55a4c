import {expect} from '@open-wc/testing';
import sinon from 'sinon';
import {onTick, tickListenerCount, TICK_MS} from '../src/ticker.js';

describe('ticker', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({toFake: ['setInterval', 'clearInterval']});
  });
  afterEach(() => clock.restore());

  it('runs one interval for all listeners, and none once the last one leaves', () => {
    const a = sinon.spy();
    const b = sinon.spy();
    const stopA = onTick(a);
    const stopB = onTick(b);
    expect(clock.countTimers()).to.equal(1);
    clock.tick(TICK_MS * 3);
    expect(a.callCount).to.equal(3);
    expect(b.callCount).to.equal(3);

    stopA();
    clock.tick(TICK_MS);
    expect(a.callCount).to.equal(3);
    expect(b.callCount).to.equal(4);
    expect(clock.countTimers()).to.equal(1);

    stopB();
    expect(tickListenerCount()).to.equal(0);
    expect(clock.countTimers()).to.equal(0);
  });
});
