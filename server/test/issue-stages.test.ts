import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {OtpAnswer} from '../exchange.js';
import {fromFetchRequest} from '../fetch-adapter.js';
import {handlerContext} from '../handler-context.js';
import {memoryOtpStore, OtpStoreFullError, type OtpHandlerOptions} from '../index.js';
import {writeChallenge, type Issued} from '../issue/challenge.js';
import {checkBackoff, takeIssueWindows} from '../issue/limits.js';
import {sendNotification} from '../issue/notification.js';
import {isRefusal} from '../issue/refusal.js';
import {claimIdempotencyKey} from '../issue/replay.js';
import {checkIssueRequest} from '../issue/request.js';
import {checkSession} from '../issue/session.js';
import {Undo} from '../issue/undo.js';

const KNOWN = {known: true, destination: {}};
const UNKNOWN = {known: false, destination: {}};
import {lookUpUser} from '../issue/user.js';
import {failuresKey} from '../keys.js';
import {issueBody, recordingLogger, SECRET} from './helpers.js';

/** A handler's context on a memory store and a clock of the test's, and what it sent and logged. */
function context(options: Partial<OtpHandlerOptions> = {}) {
  const clock = {now: 1_700_000_000_000};
  const store = memoryOtpStore({now: () => clock.now});
  const sent: string[] = [];
  const {lines: logged, logger} = recordingLogger();
  const ctx = handlerContext({
    secret: SECRET,
    store,
    now: () => clock.now,
    notify: (n) => void sent.push(n.code),
    logger,
    ...options,
  });
  return {ctx, store, clock, sent, logged};
}

const request = (body: unknown = issueBody(), headers: Record<string, string> = {}) =>
  fromFetchRequest(
    new Request('http://localhost/otp/codes', {
      method: 'POST',
      headers: {'content-type': 'application/json', ...headers},
      body: JSON.stringify(body),
    }),
  );

/** The checked parameters of `issueBody(user)`. */
async function configOf(ctx: ReturnType<typeof context>['ctx'], user = 'alice') {
  const checked = await checkIssueRequest(ctx, request(issueBody(user)));
  assert.ok(!(checked instanceof OtpAnswer));
  return checked.config;
}

const codeOf = (answer: unknown) =>
  (answer as OtpAnswer | undefined)?.body && JSON.parse((answer as OtpAnswer).body).code;

describe('issue stage 1: read and check the request', () => {
  it('fills in the defaults, keeps the user as given beside its normalised account, and takes the limits from the server', async () => {
    const {ctx} = context({limits: {maxAttempts: 3}});
    const checked = await checkIssueRequest(ctx, request({user: ' ALICE\u200b '}));
    assert.deepEqual(checked, {
      config: {
        stepName: '',
        sourceStep: '',
        user: 'ALICE\u200b',
        client: '',
        lifetimeSeconds: 300,
        length: 6,
        alphabet: 'numeric',
        maxAttempts: 3,
        resendAfterSeconds: 30,
        maxResends: 3,
        account: 'alice',
      },
      idempotencyKey: undefined,
      channel: undefined,
      humanToken: undefined,
    });
  });

  it("refuses what the protocol or the server's limits do not allow, and a malformed Idempotency-Key", async () => {
    const {ctx} = context();
    const cases: [unknown, Record<string, string>, string][] = [
      [[], {}, 'invalid-request'],
      [issueBody('alice', {lifetime: 900}), {}, 'invalid-lifetime'],
      [issueBody('alice', {length: 4}), {}, 'invalid-length'],
      [issueBody(''), {}, 'user-required'],
      // NFKC makes 'ﷺ' 18 characters: the cap holds after normalisation too.
      [issueBody('ﷺ'.repeat(20)), {}, 'invalid-request'],
      [issueBody('alice', {humanToken: 7}), {}, 'invalid-request'],
      [issueBody(), {'idempotency-key': 'é'}, 'invalid-request'],
    ];
    for (const [body, headers, code] of cases)
      assert.equal(codeOf(await checkIssueRequest(ctx, request(body, headers))), code);
    const keyed = await checkIssueRequest(
      ctx,
      request(issueBody(), {'idempotency-key': 'k-1'}),
    );
    assert.equal((keyed as {idempotencyKey: string}).idempotencyKey, 'k-1');
  });
});

describe('issue stage 2: the session', () => {
  it("lets anyone through without authenticate, and only the user's own session with it", async () => {
    const open = context();
    const asked = await configOf(open.ctx);
    assert.equal(await checkSession(open.ctx, request(), asked), asked);
    const bound = context({authenticate: (r) => r.headers.get('x-user')});
    const config = await configOf(bound.ctx);
    assert.equal(
      codeOf(await checkSession(bound.ctx, request(), config)),
      'unauthenticated',
    );
    const bob = request(issueBody(), {'x-user': 'bob'});
    assert.equal(codeOf(await checkSession(bound.ctx, bob, config)), 'forbidden');
    // The same account in the app's own spelling: from here the user is the app's identifier.
    const alice = request(issueBody(), {'x-user': 'Alice'});
    assert.deepEqual(await checkSession(bound.ctx, alice, config), {
      ...config,
      user: 'Alice',
    });
  });
});

describe('issue stage 3: the limits', () => {
  it('refuses a code the back-off would keep from being judged before it expires, and a full store', async () => {
    const {ctx, store, clock} = context();
    const config = await configOf(ctx);
    assert.equal(await checkBackoff(ctx, config), undefined);
    // 100 wrong codes: the account waits a day, longer than any code lives.
    await store.update(failuresKey('alice'), () => [
      {failures: 100, lastAt: clock.now},
      0,
    ]);
    assert.equal(codeOf(await checkBackoff(ctx, config)), 'rate-limited');
    const full = context({store: {update: async () => undefined as never, full: true}});
    await assert.rejects(checkBackoff(full.ctx, config), OtpStoreFullError);
  });

  it('replays the first answer to a retried Idempotency-Key, and hands the claim back on a refusal', async () => {
    const {ctx, store} = context();
    const config = await configOf(ctx);
    const undo = new Undo();
    assert.equal(
      await claimIdempotencyKey(
        ctx,
        {config, idempotencyKey: undefined, channel: undefined},
        undo,
      ),
      undefined,
    );
    const claim = await claimIdempotencyKey(
      ctx,
      {config, idempotencyKey: 'k', channel: undefined},
      undo,
    );
    assert.ok(claim && !(claim instanceof OtpAnswer));
    const again = () =>
      claimIdempotencyKey(
        ctx,
        {config, idempotencyKey: 'k', channel: undefined},
        new Undo(),
      );
    assert.equal(codeOf(await again()), 'request-in-progress');
    const other = {...config, stepName: 'pay'};
    const reused = await claimIdempotencyKey(
      ctx,
      {config: other, idempotencyKey: 'k', channel: undefined},
      new Undo(),
    );
    assert.equal(codeOf(reused), 'idempotency-key-reused');
    await undo.handBack('keep');
    assert.equal(store.size, 0);
    const fresh = await claimIdempotencyKey(
      ctx,
      {config, idempotencyKey: 'k', channel: undefined},
      new Undo(),
    );
    assert.ok(fresh && !(fresh instanceof OtpAnswer));
    const answer = {requestId: 'r'} as Parameters<typeof fresh.keep>[0];
    await fresh.keep(answer);
    const replayed = (await again()) as OtpAnswer;
    assert.equal(replayed.status, 201);
    assert.deepEqual(JSON.parse(replayed.body), answer);
  });

  it("takes a place in the address's and the account's windows, each handed back by the undo list", async () => {
    const {ctx, store, logged} = context({
      clientAddress: () => '2001:db8::1',
      limits: {issuesPerAddress: 1},
    });
    const config = await configOf(ctx);
    const undo = new Undo();
    assert.deepEqual(await takeIssueWindows(ctx, request(), config, undo), {
      accountIssues: 1,
    });
    assert.equal(store.size, 2);
    const second = await takeIssueWindows(ctx, request(), config, new Undo());
    assert.ok(isRefusal(second));
    assert.equal(codeOf(second.refused), 'rate-limited');
    assert.equal(second.windows, 'give back');
    await undo.handBack('give back');
    assert.equal(store.size, 0);
    assert.equal(logged.length, 1); // "no authenticate" only: this request has an address
  });
});

describe('issue stage 4: the user', () => {
  it('goes on for a known user and for an unknown one as a decoy; revealing refuses, keeping the windows', async () => {
    const users = new Set(['alice']);
    const seen: string[] = [];
    const lookupUser = (user: string, _client: string, r: Request) => (
      seen.push(r.method),
      users.has(user)
    );
    const quiet = context({lookupUser});
    assert.deepEqual(await lookUpUser(quiet.ctx, request(), await configOf(quiet.ctx)), {
      known: true,
      destination: {},
    });
    assert.deepEqual(
      await lookUpUser(quiet.ctx, request(), await configOf(quiet.ctx, 'eve')),
      {known: false, destination: {}},
    );
    assert.deepEqual(seen, ['POST', 'POST']);
    const telling = context({lookupUser, revealUnknownUsers: true});
    const refused = await lookUpUser(
      telling.ctx,
      request(),
      await configOf(telling.ctx, 'eve'),
    );
    assert.ok(isRefusal(refused));
    assert.equal(codeOf(refused.refused), 'unknown-user');
    assert.equal(refused.windows, 'keep');
  });
});

describe('issue stage 5: the challenge', () => {
  it('writes the HMAC of a new code, not the code; a resend too early is refused, giving back the windows', async () => {
    const {ctx, store} = context();
    const config = await configOf(ctx);
    const issued = (await writeChallenge(ctx, config, true, new Undo())) as Issued;
    assert.match(issued.code, /^\d{6}$/);
    assert.equal(issued.record.digest?.length, 32);
    assert.equal(JSON.stringify(store.values()).includes(issued.code), false);
    assert.equal(store.size, 2); // the challenge and its request id
    const early = await writeChallenge(ctx, config, true, new Undo());
    assert.ok(isRefusal(early));
    assert.equal(codeOf(early.refused), 'resend-cooldown');
    assert.equal(early.windows, 'give back');
  });

  it('undoes a resend by putting back the code it replaced', async () => {
    const {ctx, store, clock} = context();
    const config = await configOf(ctx);
    const first = (await writeChallenge(ctx, config, true, new Undo())) as Issued;
    clock.now += 30_000;
    const undo = new Undo();
    const resent = (await writeChallenge(ctx, config, true, undo)) as Issued;
    assert.notEqual(resent.record.requestId, first.record.requestId);
    await undo.handBack('keep');
    const ids = store.values().map((v) => (v as {requestId?: string}).requestId);
    assert.ok(ids.includes(first.record.requestId));
    assert.ok(!ids.includes(resent.record.requestId));
  });

  it('marks a challenge for an unknown user as a decoy', async () => {
    const {ctx} = context();
    const decoy = (await writeChallenge(
      ctx,
      await configOf(ctx),
      false,
      new Undo(),
    )) as Issued;
    assert.equal(decoy.record.decoy, true);
  });
});

describe('issue stage 6: the notification', () => {
  async function issued(options: Partial<OtpHandlerOptions> = {}) {
    const parts = context(options);
    const config = await configOf(parts.ctx);
    const challenge = (await writeChallenge(
      parts.ctx,
      config,
      true,
      new Undo(),
    )) as Issued;
    return {...parts, config, challenge};
  }

  it('sends the code to a known user and not to a decoy', async () => {
    const {ctx, config, challenge, sent} = await issued();
    assert.equal(await sendNotification(ctx, config, challenge, KNOWN), undefined);
    assert.equal(await sendNotification(ctx, config, challenge, UNKNOWN), undefined);
    assert.deepEqual(sent, [challenge.code]);
  });

  it('answers before notify, and marks the challenge failed when notify fails', async () => {
    const failing = await issued({
      notify: (n) => {
        throw new Error(`gateway refused ${n.code}`);
      },
    });
    const failed = await sendNotification(
      failing.ctx,
      failing.config,
      failing.challenge,
      KNOWN,
    );
    assert.equal(failed, undefined);
    await Promise.allSettled([...failing.ctx.deliveries]);
    assert.ok(failing.logged.some((l) => l.endsWith('gateway refused [code]')));
  });
});

describe('the undo list', () => {
  it('hands back last first, skips the windows when they are kept, and goes on past a failing step', async () => {
    const done: string[] = [];
    const step =
      (name: string, fails = false) =>
      async () => {
        done.push(name);
        if (fails) throw new Error(name);
      };
    const undo = new Undo();
    undo.write(step('claim'));
    undo.window(step('address'));
    undo.write(step('challenge', true));
    await undo.handBack('keep');
    assert.deepEqual(done, ['challenge', 'claim']);
    const again = new Undo();
    again.write(step('claim'));
    again.window(step('address'));
    await again.handBack('give back');
    assert.deepEqual(done.slice(2), ['address', 'claim']);
    // Handed back once: a second call has nothing left to run.
    await again.handBack('give back');
    assert.equal(done.length, 4);
  });
});
