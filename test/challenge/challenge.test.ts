import {expect} from '@open-wc/testing';
import {
  challengeStatus,
  judgeAttempt,
  newRecord,
  planIssue,
  viewOf,
  type ChallengeRecord,
} from '../../src/challenge/challenge.js';

const T0 = 1_700_000_000_000;
const policy = {
  lifetimeSeconds: 300,
  resendAfterSeconds: 30,
  maxAttempts: 3,
  maxResends: 2,
};
const identity = {requestId: 'r1', stepName: 'login', user: 'alice', client: 'web'};

function fresh(overrides: Partial<ChallengeRecord> = {}): ChallengeRecord {
  return {...newRecord(identity, policy, {failures: 0, resends: 0}, T0), ...overrides};
}

describe('challenge rules', () => {
  it('sets expiry and resend time from the policy', () => {
    const record = fresh();
    expect(record.expiresAt).to.equal(T0 + 300_000);
    expect(record.resendAt).to.equal(T0 + 30_000);
    expect(viewOf(record, T0)).to.deep.equal({
      requestId: 'r1',
      issuedAt: T0,
      expiresAt: T0 + 300_000,
      resendAt: T0 + 30_000,
      attemptsLeft: 3,
      resendsLeft: 2,
      status: 'pending',
    });
  });

  it('opens resend no later than expiry', () => {
    const record = newRecord(
      identity,
      {...policy, lifetimeSeconds: 10},
      {failures: 0, resends: 0},
      T0,
    );
    expect(record.resendAt).to.equal(T0 + 10_000);
  });

  it('is pending until its lifetime ends, then expired', () => {
    expect(challengeStatus(fresh(), T0 + 299_999)).to.equal('pending');
    expect(challengeStatus(fresh(), T0 + 300_000)).to.equal('expired');
  });

  it('confirms the right code once, and drops the secret', () => {
    const withSecret = fresh({salt: new Uint8Array(16), digest: new Uint8Array(32)});
    const first = judgeAttempt(withSecret, true, T0 + 1000);
    expect(first.outcome).to.deep.equal({status: 'confirmed'});
    expect(first.record.consumed).to.be.true;
    expect(first.record).not.to.have.property('digest');
    expect(first.record).not.to.have.property('salt');
    const again = judgeAttempt(first.record, true, T0 + 2000);
    expect(again.outcome).to.deep.equal({
      status: 'rejected',
      reason: 'used',
      attemptsLeft: 3,
    });
  });

  it('counts wrong codes and locks on the last attempt', () => {
    let record = fresh();
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      const judged = judgeAttempt(record, false, T0 + 1000);
      record = judged.record;
      outcomes.push(judged.outcome);
    }
    expect(outcomes).to.deep.equal([
      {status: 'rejected', reason: 'invalid', attemptsLeft: 2},
      {status: 'rejected', reason: 'invalid', attemptsLeft: 1},
      {status: 'rejected', reason: 'locked', attemptsLeft: 0},
      {status: 'rejected', reason: 'locked', attemptsLeft: 0},
    ]);
    expect(record.failures).to.equal(3);
    // Locked means locked: even the right code is refused now.
    expect(judgeAttempt(record, true, T0 + 1000).outcome).to.deep.equal({
      status: 'rejected',
      reason: 'locked',
      attemptsLeft: 0,
    });
  });

  it('rejects even the right code once it has expired', () => {
    expect(judgeAttempt(fresh(), true, T0 + 300_000).outcome).to.deep.equal({
      status: 'rejected',
      reason: 'expired',
      attemptsLeft: 3,
    });
  });

  it('reads canceled once canceled, even past its lifetime, and judges nothing then', () => {
    const canceled = fresh({canceledAt: T0 + 1000, failures: 1});
    expect(challengeStatus(canceled, T0 + 1000)).to.equal('canceled');
    expect(challengeStatus(canceled, T0 + 400_000)).to.equal('canceled');
    // Confirmed comes first: a code used before the cancel stays used.
    expect(challengeStatus({...canceled, consumed: true}, T0 + 2000)).to.equal(
      'confirmed',
    );
    const judged = judgeAttempt(canceled, true, T0 + 2000);
    expect(judged.record).to.equal(canceled);
    expect(judged.outcome).to.deep.equal({
      status: 'rejected',
      reason: 'canceled',
      attemptsLeft: 2,
    });
  });

  describe('planIssue', () => {
    it('starts afresh with nothing before', () => {
      expect(planIssue(undefined, T0)).to.deep.equal({ok: true, failures: 0, resends: 0});
    });

    it('waits for the cooldown before a resend', () => {
      expect(planIssue(fresh(), T0 + 10_000)).to.deep.equal({
        ok: false,
        code: 'resend-cooldown',
        retryAfterSeconds: 20,
      });
    });

    it('keeps the failure count across a resend', () => {
      expect(planIssue(fresh({failures: 2}), T0 + 30_000)).to.deep.equal({
        ok: true,
        failures: 2,
        resends: 1,
      });
    });

    it('stops after the last resend', () => {
      expect(planIssue(fresh({resends: 2}), T0 + 30_000)).to.deep.equal({
        ok: false,
        code: 'resend-limit',
      });
    });

    it('refuses a new code while the challenge is locked', () => {
      expect(planIssue(fresh({failures: 3}), T0 + 60_000)).to.deep.equal({
        ok: false,
        code: 'locked',
      });
    });

    it('starts afresh once the challenge has expired or been confirmed', () => {
      expect(planIssue(fresh({failures: 3}), T0 + 300_000)).to.deep.equal({
        ok: true,
        failures: 0,
        resends: 0,
      });
      expect(planIssue(fresh({consumed: true}), T0 + 1000)).to.deep.equal({
        ok: true,
        failures: 0,
        resends: 0,
      });
    });

    it('replaces a canceled challenge at once, inside its cooldown, with its failures and resends gone', () => {
      const canceled = fresh({canceledAt: T0 + 1000, failures: 2, resends: 2});
      expect(planIssue(canceled, T0 + 1000)).to.deep.equal({
        ok: true,
        failures: 0,
        resends: 0,
      });
    });
  });
});
