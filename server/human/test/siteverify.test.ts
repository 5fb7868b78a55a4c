// The three bot checks of otp-step/server/human against loopback stand-ins that
// hold each request to its provider's documented contract (see
// siteverify-contract-server.ts): what passes, what is refused, and that every
// failure to get a verdict is a refusal, never a pass nor a throw.
import {after, before, beforeEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {
  hcaptcha,
  HCAPTCHA_SITEVERIFY,
  recaptcha,
  RECAPTCHA_SITEVERIFY,
  turnstile,
  TURNSTILE_SITEVERIFY,
  type HumanVerifier,
  type SiteverifyOptions,
} from '../index.js';
import {
  startSiteverifyServer,
  type Provider,
  type SiteverifyContractServer,
} from './siteverify-contract-server.js';

const SECRET = 'otp-step-test-secret-0x4AAAAAAA';
const request = (headers: Record<string, string> = {}) =>
  new Request('http://localhost/api/otp/codes', {method: 'POST', headers});

/** A logger that keeps what it was told, so a test can check it and a green run stays quiet. */
const quietLogger = () => {
  const lines: string[] = [];
  return {lines, warn: (line: string) => void lines.push(line)};
};

const FACTORIES: Record<Provider, (options: SiteverifyOptions) => HumanVerifier> = {
  turnstile,
  hcaptcha,
  recaptcha,
};

/** A port that was just listened on and is closed again: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

for (const provider of ['turnstile', 'hcaptcha', 'recaptcha'] as const) {
  describe(`${provider}() against its siteverify contract`, () => {
    let stand: SiteverifyContractServer;
    let log: ReturnType<typeof quietLogger>;
    let verify: HumanVerifier;
    const make = (options: Partial<SiteverifyOptions> = {}) =>
      FACTORIES[provider]({
        secret: SECRET,
        endpoint: stand.endpoint,
        logger: log,
        ...options,
      });

    before(async () => {
      stand = await startSiteverifyServer(provider, SECRET);
    });
    after(() => stand.close());
    beforeEach(() => {
      stand.fault = 'none';
      stand.received.length = 0;
      stand.refused.length = 0;
      log = quietLogger();
      verify = make();
    });

    it('passes a token the provider vouches for, sent as the provider documents', async () => {
      stand.issue('tok-good', provider === 'recaptcha' ? {score: 0.9, action: 'x'} : {});
      assert.equal(await verify('tok-good', request()), true);
      assert.deepEqual(stand.refused, []);
      assert.equal(stand.received.length, 1);
      const [{fields, headers}] = stand.received;
      // Exactly the documented fields: no remoteip without an address the app gave.
      assert.deepEqual(fields, {secret: SECRET, response: 'tok-good'});
      assert.match(
        String(headers['content-type']),
        /^application\/x-www-form-urlencoded/,
      );
      assert.equal(headers.accept, 'application/json');
      assert.deepEqual(log.lines, []);
    });

    it('refuses a token the provider does not know (invalid-input-response)', async () => {
      assert.equal(await verify('tok-forged', request()), false);
      assert.equal(stand.received.length, 1);
      assert.deepEqual(stand.refused, []);
    });

    it('refuses a token seen before: tokens are single use', async () => {
      stand.issue('tok-once', provider === 'recaptcha' ? {score: 0.7} : {});
      assert.equal(await verify('tok-once', request()), true);
      assert.equal(await verify('tok-once', request()), false);
    });

    it('refuses every token under a wrong secret, and warns that the secret is refused', async () => {
      stand.issue('tok-wrong-secret');
      const wrong = make({secret: 'not-the-secret'});
      assert.equal(await wrong('tok-wrong-secret', request()), false);
      assert.equal(log.lines.length, 1);
      assert.match(log.lines[0], /invalid-input-secret/);
      assert.doesNotMatch(log.lines[0], /not-the-secret|tok-wrong-secret/);
    });

    it('sends remoteip when the app gives an IP address, and leaves out anything else', async () => {
      stand.issue('tok-ip-1');
      stand.issue('tok-ip-2');
      const withIp = make({remoteIp: (r) => r.headers.get('x-real-ip') ?? undefined});
      assert.equal(await withIp('tok-ip-1', request({'x-real-ip': '203.0.113.7'})), true);
      assert.equal(stand.received[0].fields.remoteip, '203.0.113.7');
      assert.equal(
        await withIp('tok-ip-2', request({'x-real-ip': 'unknown, 10.0.0.1'})),
        true,
      );
      assert.equal(stand.received[1].fields.remoteip, undefined);
      assert.deepEqual(stand.refused, []);
    });

    it('refuses an empty or oversized token without calling the provider', async () => {
      assert.equal(await verify('', request()), false);
      assert.equal(await verify('x'.repeat(2049), request()), false);
      assert.equal(await verify(42 as unknown as string, request()), false);
      assert.equal(stand.received.length, 0);
      stand.issue('y'.repeat(2048));
      assert.equal(await verify('y'.repeat(2048), request()), true);
    });

    it('refuses, and does not throw, when the provider cannot be reached', async () => {
      const port = await closedPort();
      const unreachable = make({endpoint: `http://127.0.0.1:${port}/siteverify`});
      assert.equal(await unreachable('tok', request()), false);
      assert.match(log.lines[0], /failed/);
    });

    it('refuses after the timeout when the provider never answers', async () => {
      stand.fault = 'hang';
      stand.issue('tok-slow');
      const slow = make({timeoutSeconds: 0.3});
      const started = Date.now();
      assert.equal(await slow('tok-slow', request()), false);
      const took = Date.now() - started;
      assert.ok(took >= 250 && took < 3000, `took ${took} ms`);
      assert.match(log.lines[0], /TimeoutError/);
    });

    it('refuses a 500, a body that is not JSON, and JSON that is not an object', async () => {
      for (const fault of ['500', 'bad-json', 'json-array'] as const) {
        stand.fault = fault;
        stand.issue(`tok-${fault}`);
        assert.equal(await verify(`tok-${fault}`, request()), false, fault);
      }
      assert.equal(log.lines.length, 3);
    });

    it('refuses at creation a missing or empty secret and an endpoint that is no URL', () => {
      const create = FACTORIES[provider];
      assert.throws(
        () => create({secret: ''}),
        new RegExp(`^TypeError: otp-step: ${provider}\\(\\) needs its secret key`),
      );
      assert.throws(() => create({secret: '   '}), /needs its secret key/);
      assert.throws(() => create(undefined as unknown as SiteverifyOptions), /secret/);
      assert.throws(
        () => create({secret: SECRET, endpoint: 'challenges.example/siteverify'}),
        /`endpoint` must be an http\(s\) URL/,
      );
      assert.throws(
        () => create({secret: SECRET, endpoint: 'ftp://127.0.0.1/siteverify'}),
        /`endpoint` must be an http\(s\) URL/,
      );
    });
  });
}

describe('recaptcha() scores (v3) and v2 answers', () => {
  let stand: SiteverifyContractServer;
  const log = quietLogger();
  before(async () => {
    stand = await startSiteverifyServer('recaptcha', SECRET);
  });
  after(() => stand.close());
  const make = (options: {minScore?: number; action?: string} = {}) =>
    recaptcha({secret: SECRET, endpoint: stand.endpoint, logger: log, ...options});

  it('passes a score of 0.5 and above by default, and refuses a lower one', async () => {
    stand.issue('v3-high', {score: 0.5, action: 'otp'});
    stand.issue('v3-low', {score: 0.3, action: 'otp'});
    assert.equal(await make()('v3-high', request()), true);
    assert.equal(await make()('v3-low', request()), false);
  });

  it('takes minScore', async () => {
    stand.issue('v3-07', {score: 0.7});
    stand.issue('v3-09', {score: 0.9});
    assert.equal(await make({minScore: 0.8})('v3-07', request()), false);
    assert.equal(await make({minScore: 0.8})('v3-09', request()), true);
  });

  it('passes a v2 answer, which has no score, on success', async () => {
    stand.issue('v2');
    assert.equal(await make({minScore: 0.9})('v2', request()), true);
  });

  it('refuses a score that is not a number', async () => {
    stand.issue('v3-text', {score: '0.9'});
    assert.equal(await make()('v3-text', request()), false);
  });

  it('with action, refuses an answer for another action or none', async () => {
    stand.issue('a-otp', {score: 0.9, action: 'otp'});
    stand.issue('a-login', {score: 0.9, action: 'login'});
    stand.issue('a-none');
    const check = make({action: 'otp'});
    assert.equal(await check('a-otp', request()), true);
    assert.equal(await check('a-login', request()), false);
    assert.equal(await check('a-none', request()), false);
  });

  it('refuses at creation a minScore outside 0 to 1', () => {
    for (const minScore of [-0.1, 1.5, Number.NaN, '0.5' as unknown as number])
      assert.throws(() => make({minScore}), /`minScore` must be a number from 0 to 1/);
  });
});

describe('default endpoints', () => {
  it('are the documented siteverify URLs', () => {
    assert.equal(
      TURNSTILE_SITEVERIFY,
      'https://challenges.cloudflare.com/turnstile/v0/siteverify',
    );
    assert.equal(HCAPTCHA_SITEVERIFY, 'https://api.hcaptcha.com/siteverify');
    assert.equal(RECAPTCHA_SITEVERIFY, 'https://www.google.com/recaptcha/api/siteverify');
  });
});

describe('the stand-ins hold a request to the contract', () => {
  it('refuse JSON, GET, another path and a field no provider documents', async () => {
    const stand = await startSiteverifyServer('hcaptcha', SECRET);
    try {
      const post = (body: string, type: string, url = stand.endpoint, method = 'POST') =>
        fetch(url, {
          method,
          headers: {'content-type': type},
          body: method === 'POST' ? body : undefined,
        });
      await post(JSON.stringify({secret: SECRET, response: 't'}), 'application/json');
      await post('', 'application/x-www-form-urlencoded', stand.endpoint, 'GET');
      await post(
        'secret=s&response=t',
        'application/x-www-form-urlencoded',
        `${stand.endpoint}/x`,
      );
      await post('secret=s&response=t&score=1', 'application/x-www-form-urlencoded');
      assert.deepEqual(stand.refused, [
        'content-type application/json',
        'method GET',
        'path /siteverify/x',
        'unexpected field score',
      ]);
    } finally {
      await stand.close();
    }
  });
});
