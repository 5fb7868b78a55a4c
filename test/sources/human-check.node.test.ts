// The HTTP source's answer to a server that asks for a bot check (428
// `human-check-required`): the page's `humanCheck` is run once and the issue
// sent once more with its token; anything else ends in that refusal. A loopback
// server stands for the backend and records every request it gets.
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, beforeEach, describe, it} from 'node:test';
import {memoryChallengeStore} from '../../src/challenge/challenge-store.js';
import type {OtpStepError} from '../../src/errors.js';
import {humanToken, type HumanCheck} from '../../src/sources/human-check.js';
import {httpCodeSource} from '../../src/sources/http-source.js';
import type {StepConfig} from '../../src/step/step-config.js';

const config: StepConfig = {
  stepName: 'login',
  sourceStep: '',
  user: 'maria.silva',
  client: 'web',
  lifetimeSeconds: 300,
  length: 6,
  alphabet: 'numeric',
  maxAttempts: 5,
  resendAfterSeconds: 30,
  maxResends: 3,
};

interface Seen {
  body: Record<string, unknown>;
  key: string;
}

const needCheck = {
  type: 'urn:otp-step:problem:human-check-required',
  title: 'A check that you are a person is needed',
  status: 428,
  code: 'human-check-required',
};

const issued = () => {
  const now = Date.now();
  return {
    requestId: 'r-1',
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 300_000).toISOString(),
    expiresIn: 300,
    resendAt: new Date(now + 30_000).toISOString(),
    resendIn: 30,
    attemptsLeft: 5,
    resendsLeft: 3,
    code: '123456',
  };
};

describe('HTTP source, bot check', () => {
  const seen: Seen[] = [];
  /** The tokens the backend accepts; any other, or none, is answered 428. */
  const accepted = new Set(['human-ok']);
  let endpoint = '';
  const server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = JSON.parse(text) as Record<string, unknown>;
    seen.push({body, key: String(req.headers['idempotency-key'])});
    const ok = typeof body.humanToken === 'string' && accepted.has(body.humanToken);
    res.writeHead(ok ? 201 : 428, {
      'content-type': ok ? 'application/json' : 'application/problem+json',
    });
    res.end(JSON.stringify(ok ? issued() : needCheck));
  });
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/otp`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => (seen.length = 0));

  const source = (humanCheck?: HumanCheck) =>
    httpCodeSource(memoryChallengeStore(), () => ({
      endpoint,
      timeout: 5,
      credentials: 'same-origin',
      headers: {},
      humanCheck,
    }));
  const refusal = async (promise: Promise<unknown>) =>
    promise.then(
      () => assert.fail('the issue should have been refused'),
      (error: OtpStepError) => error,
    );

  it('runs the check once and sends its token as humanToken, under a new key', async () => {
    let calls = 0;
    const {code, challenge} = await source(async () => {
      calls++;
      return 'human-ok';
    }).issue(config);
    assert.equal(code, '123456');
    assert.equal(challenge.requestId, 'r-1');
    assert.equal(calls, 1);
    assert.equal(seen.length, 2);
    assert.equal(seen[0].body.humanToken, undefined);
    assert.equal(seen[1].body.humanToken, 'human-ok');
    // The rest of the request is the same; the key is not, since the first issued nothing.
    const {humanToken: _, ...rest} = seen[1].body;
    assert.deepEqual(rest, seen[0].body);
    assert.notEqual(seen[1].key, seen[0].key);
  });

  it('gives up with human-check-required when the retry is refused again', async () => {
    let calls = 0;
    const error = await refusal(
      source(() => {
        calls++;
        return 'bot-token';
      }).issue(config),
    );
    assert.equal(error.code, 'human-check-required');
    assert.equal(calls, 1);
    assert.equal(seen.length, 2);
  });

  it('without a check, or one that throws or gives no string, sends no retry', async () => {
    const checks: (HumanCheck | undefined)[] = [
      undefined,
      () => Promise.reject(new Error('widget failed')),
      () => {
        throw new Error('no widget');
      },
      () => 42 as unknown as string,
      () => '',
    ];
    for (const check of checks) {
      seen.length = 0;
      const error = await refusal(source(check).issue(config));
      assert.equal(error.code, 'human-check-required');
      assert.equal(seen.length, 1);
    }
  });

  it('sends nothing more when the request is aborted during the check', async () => {
    const abort = new AbortController();
    const error = await refusal(
      source(() => {
        abort.abort(new Error('replaced'));
        return 'human-ok';
      }).issue(config, abort.signal),
    );
    assert.equal((error as Error).message, 'replaced');
    assert.equal(seen.length, 1);
  });
});

describe('humanToken', () => {
  it('is the check’s string, else undefined', async () => {
    assert.equal(await humanToken(async () => 'tok'), 'tok');
    assert.equal(await humanToken(undefined), undefined);
    assert.equal(await humanToken('tok' as unknown as HumanCheck), undefined);
    assert.equal(await humanToken(async () => null as unknown as string), undefined);
  });
});
