import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {DEFAULT_LIMITS, type OtpLimits} from '../index.js';
import {LIMIT_BOUNDS, rangeText, withinBound} from '../limit-bounds.js';
import {issue, setup} from './helpers.js';

const refusedAtStart = (limits: Record<string, unknown>, message: RegExp) =>
  assert.throws(
    () => setup({limits: limits as Partial<OtpLimits>}),
    (error: Error) => {
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    },
  );

describe('limit bounds', () => {
  it('bound every limit, and every default is within its bound', () => {
    assert.deepEqual(
      Object.keys(LIMIT_BOUNDS).sort(),
      Object.keys(DEFAULT_LIMITS).sort(),
    );
    for (const [name, value] of Object.entries(DEFAULT_LIMITS))
      assert.ok(withinBound(LIMIT_BOUNDS[name as keyof OtpLimits], value), name);
  });

  it('say the range in words, both ends where there are two', () => {
    assert.equal(rangeText(LIMIT_BOUNDS.maxAttempts), 'a whole number from 1 to 100');
    assert.equal(rangeText(LIMIT_BOUNDS.issuesPerWindow), 'a whole number of at least 1');
    assert.equal(rangeText(LIMIT_BOUNDS.windowSeconds), 'a number above 0');
    assert.equal(
      rangeText(LIMIT_BOUNDS.bodyTimeoutSeconds),
      'a number above 0 and at most 20',
    );
    // As whole numbers (the side service's variables), "above 0" is "from 1".
    assert.equal(
      rangeText(LIMIT_BOUNDS.maxLifetimeSeconds, true),
      'a whole number from 1 to 86400',
    );
  });

  it('stop createOtpHandler with one line naming the limit and its range', () => {
    refusedAtStart(
      {maxAttempts: 0},
      /^otp-step: limits\.maxAttempts must be a whole number from 1 to 100, not 0$/,
    );
    refusedAtStart(
      {maxAttempts: 101},
      /maxAttempts must be a whole number from 1 to 100, not 101/,
    );
    refusedAtStart({maxAttempts: '5'}, /maxAttempts must be .*, not "5"/);
    refusedAtStart({maxAttempts: undefined}, /maxAttempts must be .*, not undefined/);
    refusedAtStart({minLength: 5}, /minLength must be a whole number from 6 to 10/);
    refusedAtStart({minLength: 11}, /minLength must be a whole number from 6 to 10/);
    refusedAtStart(
      {maxLifetimeSeconds: 0},
      /maxLifetimeSeconds must be a number above 0 and at most 86400/,
    );
    refusedAtStart({maxLifetimeSeconds: 86_401}, /maxLifetimeSeconds/);
    refusedAtStart(
      {resendAfterSeconds: -1},
      /resendAfterSeconds must be a whole number from 0 to 86400/,
    );
    refusedAtStart({maxResends: 0.5}, /maxResends must be a whole number from 0 to 100/);
    refusedAtStart({windowSeconds: 0}, /windowSeconds must be a number above 0, not 0/);
    refusedAtStart(
      {sendsPerDestination: 0},
      /sendsPerDestination must be a whole number of at least 1/,
    );
    refusedAtStart({unconfirmedPerCountry: 2.5}, /unconfirmedPerCountry/);
    refusedAtStart(
      {trustedDestinationDays: 366},
      /trustedDestinationDays must be a whole number from 0 to 365/,
    );
    refusedAtStart({issuesPerAddress: Infinity}, /issuesPerAddress/);
    refusedAtStart(
      {maxBodyBytes: 100},
      /maxBodyBytes must be a whole number from 1024 to 1048576/,
    );
    refusedAtStart({bodyTimeoutSeconds: 21}, /bodyTimeoutSeconds/);
  });

  it('take the ends of each range, and 0 resends turns resends off', async () => {
    setup({
      limits: {
        maxAttempts: 100,
        minLength: 10,
        trustedDestinationDays: 0,
        windowSeconds: 0.5,
      },
    });
    const ctx = setup({limits: {maxResends: 0, resendAfterSeconds: 0}});
    assert.equal((await issue(ctx)).status, 201);
    const resend = await issue(ctx);
    assert.equal(resend.status, 429);
    assert.equal(resend.json.code, 'resend-limit');
  });
});
