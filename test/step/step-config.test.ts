import {expect} from '@open-wc/testing';
import {resolveStepConfig, type StepOptions} from '../../src/step/step-config.js';

const base: StepOptions = {
  stepName: 'login',
  sourceStep: '',
  user: 'alice',
  client: 'web',
  lifetime: 300,
  length: 6,
  alphabet: 'numeric',
  maxAttempts: 5,
  resendAfter: 30,
  maxResends: 3,
};

const errorOf = (options: Partial<StepOptions>) => {
  const result = resolveStepConfig({...base, ...options});
  return result.ok ? undefined : result.error;
};

describe('resolveStepConfig', () => {
  it('accepts sound parameters without warnings', () => {
    const result = resolveStepConfig(base);
    expect(result).to.deep.equal({
      ok: true,
      warnings: [],
      config: {
        stepName: 'login',
        sourceStep: '',
        user: 'alice',
        client: 'web',
        lifetimeSeconds: 300,
        length: 6,
        alphabet: 'numeric',
        maxAttempts: 5,
        resendAfterSeconds: 30,
        maxResends: 3,
      },
    });
  });

  it('needs a user that is not blank, and trims it', () => {
    expect(errorOf({user: ''})).to.equal('user-required');
    expect(errorOf({user: '   '})).to.equal('user-required');
    const result = resolveStepConfig({...base, user: ' bob '});
    expect(result.ok && result.config.user).to.equal('bob');
  });

  it('refuses a bad lifetime, length or alphabet', () => {
    expect(errorOf({lifetime: 0})).to.equal('invalid-lifetime');
    expect(errorOf({lifetime: '-1m'})).to.equal('invalid-lifetime');
    expect(errorOf({lifetime: 'soon'})).to.equal('invalid-lifetime');
    expect(errorOf({lifetime: '25h'})).to.equal('invalid-lifetime');
    expect(errorOf({length: 3})).to.equal('invalid-length');
    expect(errorOf({length: 11})).to.equal('invalid-length');
    expect(errorOf({length: 6.5})).to.equal('invalid-length');
    expect(errorOf({length: NaN})).to.equal('invalid-length');
    expect(errorOf({alphabet: 'hex'})).to.equal('invalid-alphabet');
    expect(errorOf({alphabet: 'toString'})).to.equal('invalid-alphabet');
  });

  it('refuses bad limits', () => {
    expect(errorOf({maxAttempts: 0})).to.equal('invalid-max-attempts');
    expect(errorOf({maxAttempts: 101})).to.equal('invalid-max-attempts');
    expect(errorOf({resendAfter: -1})).to.equal('invalid-resend-after');
    expect(errorOf({maxResends: -1})).to.equal('invalid-max-resends');
  });

  it('warns when the lifetime is over 10 minutes or the code under 6 characters', () => {
    const long = resolveStepConfig({...base, lifetime: '11m'});
    expect(long.ok && long.warnings).to.deep.equal(['long-lifetime']);
    const short = resolveStepConfig({...base, length: 4});
    expect(short.ok && short.warnings).to.deep.equal(['short-code']);
    const tenMinutes = resolveStepConfig({...base, lifetime: '10m'});
    expect(tenMinutes.ok && tenMinutes.warnings).to.deep.equal([]);
  });
});
