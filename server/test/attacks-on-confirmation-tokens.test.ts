/**
 * Attacks on the proof of confirmation the app's server checks: altered,
 * replayed, forged, expired and misdirected tokens. Tests titled "was broken"
 * failed against the server as first written (a security review) and pass
 * since its fixes.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {DEFAULT_LIMITS} from '../index.js';
import {confirm, type Ctx, issue, SECRET, setup} from './helpers.js';

describe('attack: the proof of confirmation', () => {
  it('proves a confirmation once, to the right user, and not after it expires or is altered', async () => {
    const confirmed: unknown[] = [];
    const ctx = setup({onConfirmed: (claims) => void confirmed.push(claims)});
    const issued = await issue(ctx, 'Maria');
    const answers = await Promise.all(
      Array.from({length: 50}, () =>
        confirm(ctx, issued.json.requestId, String(issued.json.code)),
      ),
    );
    const ok = answers.filter((a) => a.status === 200);
    assert.equal(ok.length, 1);
    assert.equal(confirmed.length, 1);
    const token = String(ok[0].json.confirmation);
    const [version, payload, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        user: 'admin',
      }),
    ).toString('base64url');
    assert.equal(
      await ctx.handler.verifyConfirmation(`${version}.${forged}.${signature}`, {
        anyUser: true,
      }),
      null,
    );
    assert.equal(
      await ctx.handler.verifyConfirmation(`${token}x`, {anyUser: true}),
      null,
    );
    assert.equal(await ctx.handler.verifyConfirmation(token, {user: 'mallory'}), null);
    // Refused for another user without being spent: the owner's check still works.
    const claims = await ctx.handler.verifyConfirmation(token, {
      user: 'Maria',
      client: 'web',
      stepName: 'login',
    });
    assert.deepEqual(
      {...claims, issuedAt: 0, expiresAt: 0},
      {
        user: 'Maria',
        account: 'maria',
        client: 'web',
        stepName: 'login',
        requestId: issued.json.requestId,
        method: 'code',
        issuedAt: 0,
        expiresAt: 0,
      },
    );
    assert.deepEqual(confirmed[0], claims);
    assert.equal(
      await ctx.handler.verifyConfirmation(token, {anyUser: true}),
      null,
      'spent',
    );

    const late = await issue(ctx, 'Maria', {stepName: 'late'});
    const lateOk = await confirm(ctx, late.json.requestId, String(late.json.code));
    ctx.clock.now += DEFAULT_LIMITS.confirmationLifetimeSeconds * 1000;
    assert.equal(
      await ctx.handler.verifyConfirmation(lateOk.json.confirmation, {anyUser: true}),
      null,
    );
    // Another server's secret: refused.
    const other = setup({secret: `${SECRET} but another one`});
    const theirs = await issue(other, 'Maria');
    const theirToken = (
      await confirm(other, theirs.json.requestId, String(theirs.json.code))
    ).json.confirmation;
    assert.equal(await ctx.handler.verifyConfirmation(theirToken, {anyUser: true}), null);
    for (const junk of [undefined, '', 'v1..', 'v1.e30.', 42, 'x'.repeat(10_000)])
      assert.equal(await ctx.handler.verifyConfirmation(junk, {anyUser: true}), null);
  });
});

describe('review: the confirmation token', () => {
  async function confirmedToken(ctx: Ctx, user = 'alice', extra = {}) {
    const issued = await issue(ctx, user, extra);
    const answer = await confirm(ctx, issued.json.requestId, String(issued.json.code));
    assert.equal(answer.status, 200);
    return String(answer.json.confirmation);
  }

  it('holds (was broken): a token re-encoded (padding, "+/" alphabet, junk characters) still verifies: "tampered" is not refused', async () => {
    const forms = [
      (t: string) => `${t}=`,
      (t: string) => {
        const [v, p, s] = t.split('.');
        return `${v}.${p}.${s.slice(0, 10)}!${s.slice(10)}`;
      },
    ];
    const accepted: string[] = [];
    for (const [i, form] of forms.entries()) {
      const ctx = setup();
      const token = await confirmedToken(ctx);
      const altered = form(token);
      assert.notEqual(altered, token);
      if (await ctx.handler.verifyConfirmation(altered, {anyUser: true}))
        accepted.push(`form ${i}`);
    }
    assert.deepEqual(
      accepted,
      [],
      `altered token strings accepted: ${accepted.join(', ')}`,
    );
  });

  it('holds: another secret, another store, another client/step, another spelling of the user, no user, spent, expired → null', async () => {
    const a = setup();
    const token = await confirmedToken(a, 'Alice', {client: 'web', stepName: 'login'});
    const alice = {user: 'Alice'};
    const other = setup({secret: `${SECRET}!`, store: a.store});
    assert.equal(await other.handler.verifyConfirmation(token, alice), null);
    const sameSecretOtherStore = setup();
    assert.equal(
      await sameSecretOtherStore.handler.verifyConfirmation(token, alice),
      null,
    );
    assert.equal(
      await a.handler.verifyConfirmation(token, {...alice, client: 'app'}),
      null,
    );
    assert.equal(
      await a.handler.verifyConfirmation(token, {...alice, stepName: 'pay'}),
      null,
    );
    assert.equal(await a.handler.verifyConfirmation(token, {user: 'bob'}), null);
    // The app's identifier, exactly: another spelling of it may be another of the app's users.
    assert.equal(
      await a.handler.verifyConfirmation(token, {user: 'ＡＬＩＣＥ\u200b'}),
      null,
    );
    assert.equal(await a.handler.verifyConfirmation(token, {user: 'alice'}), null);
    assert.equal(await a.handler.verifyConfirmation(token), null);
    assert.equal(await a.handler.verifyConfirmation(token, {user: undefined}), null);
    const claims = await a.handler.verifyConfirmation(token, alice);
    assert.equal(claims?.user, 'Alice');
    assert.equal(claims?.account, 'alice');
    assert.equal(await a.handler.verifyConfirmation(token, alice), null);
    const late = await confirmedToken(a, 'carol');
    a.clock.now += DEFAULT_LIMITS.confirmationLifetimeSeconds * 1000;
    assert.equal(await a.handler.verifyConfirmation(late, {anyUser: true}), null);
  });

  it('holds (was broken): (robustness) verifyConfirmation(token, {user: null}) (a signed-out session) rejects with a TypeError instead of null', async () => {
    const ctx = setup();
    const token = await confirmedToken(ctx);
    let outcome: string;
    try {
      outcome = String(
        await ctx.handler.verifyConfirmation(token, {user: null as unknown as string}),
      );
    } catch (error) {
      outcome = `threw ${(error as Error).name}`;
    }
    assert.equal(outcome, 'null');
  });

  it('holds: onConfirmed runs once for 100 parallel confirmations of the right code', async () => {
    let runs = 0;
    const ctx = setup({onConfirmed: () => void runs++});
    const issued = await issue(ctx, 'alice');
    const answers = await Promise.all(
      Array.from({length: 100}, () =>
        confirm(ctx, issued.json.requestId, String(issued.json.code)),
      ),
    );
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    assert.equal(runs, 1);
  });
});
