import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {DEFAULT_LIMITS, type OtpHandlerOptions} from '../index.js';
import {byTestAddress, issue, setup} from './helpers.js';

const ADDRESS = {'x-test-address': '192.0.2.50'};
const HALF = DEFAULT_LIMITS.issuesPerAddress / 2;

/** A handler whose bot check passes only the token 'human', counting its calls. */
function guarded(extra: Partial<OtpHandlerOptions> = {}) {
  const checks: string[] = [];
  const ctx = setup({
    ...byTestAddress,
    verifyHuman: (token, request) => {
      assert.ok(request instanceof Request);
      checks.push(token);
      return token === 'human';
    },
    ...extra,
  });
  return {...ctx, checks};
}

describe('bot check under suspicion (verifyHuman)', () => {
  it('asks an address past half its issuesPerAddress for a check, 428, and goes on with a passing token', async () => {
    const ctx = guarded();
    for (let i = 0; i < HALF; i++)
      assert.equal((await issue(ctx, `user-${i}`, {}, ADDRESS)).status, 201);
    assert.equal(ctx.checks.length, 0, 'no check before suspicion');
    const asked = await issue(ctx, 'user-x', {}, ADDRESS);
    assert.equal(asked.status, 428);
    assert.equal(asked.json.code, 'human-check-required');
    assert.equal(asked.headers.get('retry-after'), null);
    const failed = await issue(ctx, 'user-x', {humanToken: 'bot'}, ADDRESS);
    assert.equal(failed.status, 428);
    assert.match(String(failed.json.detail), /did not pass/);
    const passed = await issue(ctx, 'user-x', {humanToken: 'human'}, ADDRESS);
    assert.equal(passed.status, 201);
    assert.deepEqual(ctx.checks, ['bot', 'human']);
  });

  it('lets a 428 use up nothing, and keeps the hard limit behind the check', async () => {
    const ctx = guarded();
    for (let i = 0; i < HALF; i++) await issue(ctx, `user-${i}`, {}, ADDRESS);
    for (let i = 0; i < 100; i++)
      assert.equal((await issue(ctx, `bot-${i}`, {}, ADDRESS)).status, 428);
    const statuses = [];
    for (let i = 0; i < DEFAULT_LIMITS.issuesPerAddress; i++)
      statuses.push((await issue(ctx, `h-${i}`, {humanToken: 'human'}, ADDRESS)).status);
    assert.equal(
      statuses.filter((s) => s === 201).length,
      DEFAULT_LIMITS.issuesPerAddress - HALF,
    );
    assert.equal(statuses.at(-1), 429);
  });

  it('fails closed when verifyHuman throws, logging it', async () => {
    const ctx = guarded({
      verifyHuman: () => {
        throw new Error('provider down');
      },
    });
    for (let i = 0; i < HALF; i++) await issue(ctx, `user-${i}`, {}, ADDRESS);
    assert.equal((await issue(ctx, 'u', {humanToken: 'human'}, ADDRESS)).status, 428);
    assert.ok(ctx.logged.some((l) => l.includes('verifyHuman failed: provider down')));
  });

  it('changes nothing without verifyHuman', async () => {
    const ctx = setup(byTestAddress);
    for (let i = 0; i < DEFAULT_LIMITS.issuesPerAddress; i++)
      assert.equal((await issue(ctx, `user-${i}`, {}, ADDRESS)).status, 201);
    assert.equal((await issue(ctx, 'one-more', {}, ADDRESS)).status, 429);
  });

  it('with authenticate, asks for a check in a country past half its budget', async () => {
    const limits = {unconfirmedPerCountry: 4};
    const ctx = guarded({
      limits,
      authenticate: (request) => request.headers.get('x-session'),
      lookupUser: (user) => ({
        phone: `+3712${String(1000000 + Number(user.slice(3))).slice(-7)}`,
      }),
    });
    const as = (user: string, i: number) => ({
      'x-session': user,
      'x-test-address': `192.0.2.${100 + i}`,
    });
    for (let i = 0; i < 2; i++)
      assert.equal((await issue(ctx, `lv-${i}`, {}, as(`lv-${i}`, i))).status, 201);
    const asked = await issue(ctx, 'lv-2', {}, as('lv-2', 2));
    assert.equal(asked.status, 428);
    const passed = await issue(ctx, 'lv-2', {humanToken: 'human'}, as('lv-2', 2));
    assert.equal(passed.status, 201);
    assert.equal(ctx.sent.length, 3);
  });
});
