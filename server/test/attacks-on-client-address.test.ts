/**
 * Attacks on the address a request is counted under: a proxy whose
 * X-Forwarded-For is not understood (a CIDR in `trustedProxies`, `ip:port`,
 * bracketed IPv6) used to make every request count under the proxy's own
 * address, so 30 requests from anyone refused every user for 15 minutes; a
 * client's own X-Forwarded-For, passed on by the proxy, must never be believed
 * past the hop the proxy wrote. Every test here failed against the server as
 * found (each says how) and passes since. Over real sockets, so the header
 * lines are what Node reads off the wire.
 */
import assert from 'node:assert/strict';
import {createServer, type Server} from 'node:http';
import {connect, type AddressInfo} from 'node:net';
import {after, describe, it} from 'node:test';
import {DEFAULT_LIMITS, toNodeListener, type OtpHandlerOptions} from '../index.js';
import {issueBody, setup} from './helpers.js';

const servers: Server[] = [];
after(() => servers.forEach((server) => server.close()));

/** A handler behind `trustedProxies`, listening on `host`; the test plays the proxy. */
async function behindProxy(
  trustedProxies: string[],
  host = '127.0.0.1',
  options: Partial<OtpHandlerOptions> = {},
) {
  const ctx = setup({trustedProxies, ...options});
  const server = createServer(toNodeListener(ctx.handler));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const {port} = server.address() as AddressInfo;
  let users = 0;
  /** Posts an issue request with these X-Forwarded-For lines, each its own header line. */
  const issue = (forwardedFor: string[], connectTo = host) =>
    new Promise<{status: number; json: Record<string, unknown>}>((resolve, reject) => {
      const body = JSON.stringify(issueBody(`user-${users++}`));
      const socket = connect(port, connectTo);
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk));
      socket.on('error', reject);
      socket.on('end', () => {
        const [head, text] = answer.split('\r\n\r\n');
        resolve({
          status: Number(head.split(' ')[1]),
          json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        });
      });
      // Written, not ended: a half-closed socket may be closed by the server before a
      // store that answers on a later tick (Redis) lets the handler reply.
      socket.write(
        [
          'POST /codes HTTP/1.1',
          'Host: otp.example',
          'Connection: close',
          'Content-Type: application/json',
          `Content-Length: ${Buffer.byteLength(body)}`,
          ...forwardedFor.map((hop) => `X-Forwarded-For: ${hop}`),
          '',
          body,
        ].join('\r\n'),
      );
    });
  return {ctx, issue};
}

/** How many of `n` requests from the same forwarded client were issued a code. */
async function issuedOf(
  issue: (lines: string[]) => Promise<{status: number}>,
  lines: (i: number) => string[],
  n: number,
) {
  let issued = 0;
  for (let i = 0; i < n; i++) if ((await issue(lines(i))).status === 201) issued++;
  return issued;
}

const LIMIT = DEFAULT_LIMITS.issuesPerAddress;

describe('attack: the client address behind a proxy', () => {
  it('counts each client on its own behind a proxy named by a CIDR range (was: all under the proxy)', async () => {
    // As found: "127.0.0.0/8" matched no socket, so X-Forwarded-For was ignored
    // and the 31st user of the day was refused for 15 minutes.
    const {issue} = await behindProxy(['127.0.0.0/8']);
    const issued = await issuedOf(issue, (i) => [`203.0.113.${i}`], 2 * LIMIT);
    assert.equal(issued, 2 * LIMIT, 'every client its own budget');
  });

  it('counts a flood from one client under that client, and the next client is still served (was: every user refused)', async () => {
    const {issue} = await behindProxy(['127.0.0.0/8', '::1']);
    const flood = await issuedOf(issue, () => ['198.51.100.66'], LIMIT + 10);
    assert.equal(flood, LIMIT, 'the flooding client is cut at its own limit');
    assert.equal((await issue(['198.51.100.67'])).status, 201, 'another user is not');
  });

  it('reads ip:port, [v6] and [v6]:port hops (was: all under the proxy)', async () => {
    const {issue} = await behindProxy(['127.0.0.1']);
    const shapes = [
      (i: number) => `203.0.113.${i}:51234`,
      (i: number) => `[2001:db8:${i}::1]`,
      (i: number) => `[2001:db8:${i + 100}::1]:443`,
    ];
    for (const shape of shapes) {
      const issued = await issuedOf(issue, (i) => [shape(i)], LIMIT + 5);
      assert.equal(issued, LIMIT + 5, shape(0));
    }
  });

  it('never believes what the client wrote before the hop its proxy added, in one line or several (was: the proxy refused for all)', async () => {
    const {issue} = await behindProxy(['127.0.0.1']);
    // The attacker names a new address each time; the proxy appends the real one as ip:port.
    const forged = await issuedOf(
      issue,
      (i) => [`10.9.${i}.1, 192.0.2.${i}`, '198.51.100.7:40000'],
      LIMIT + 20,
    );
    assert.equal(forged, LIMIT, 'the forger is counted under its real address');
    assert.equal((await issue(['10.9.0.1', '198.51.100.8:40001'])).status, 201);
  });

  it('answers 400 client-address-unknown when the proxy says nothing usable, never counting under the proxy or a forged hop', async () => {
    const {issue} = await behindProxy(['127.0.0.1']);
    // As found: each was counted under 127.0.0.1 (the last one under the forged 203.0.113.5).
    const cases: string[][] = [
      [],
      [''],
      ['unknown'],
      ['not-an-address'],
      ['127.0.0.1:99999'],
      ['203.0.113.5, unknown'],
    ];
    for (const lines of cases) {
      const answer = await issue(lines);
      assert.equal(answer.status, 400, JSON.stringify(lines));
      assert.equal(answer.json.code, 'client-address-unknown');
      assert.match(String(answer.json.detail), /X-Forwarded-For/);
    }
  });

  it('believes the proxy over IPv6 and as an IPv4-mapped address (::ffff:127.0.0.1 is 127.0.0.1)', async () => {
    const v6 = await behindProxy(['::1/128'], '::1');
    assert.equal(
      await issuedOf(v6.issue, (i) => [`203.0.113.${i}`], LIMIT + 5),
      LIMIT + 5,
    );
    // A dual-stack socket sees an IPv4 client as ::ffff:127.0.0.1.
    const mapped = await behindProxy(['127.0.0.0/8'], '::');
    const viaV4 = (lines: string[]) => mapped.issue(lines, '127.0.0.1');
    assert.equal(await issuedOf(viaV4, (i) => [`203.0.113.${i}`], LIMIT + 5), LIMIT + 5);
  });

  it('leaves the decision to clientAddress when the integrator gives one', async () => {
    const {issue} = await behindProxy(['127.0.0.1'], '127.0.0.1', {
      clientAddress: () => '192.0.2.1',
    });
    assert.equal((await issue([])).status, 201, 'no 400: clientAddress decides alone');
  });

  it('refuses to start with a trustedProxies entry that is neither an address nor a range, naming it', () => {
    for (const entry of ['nginx', '10.0.0.0/33', '10.0.0.1/', '::1/129', '10.0.0.0/8x'])
      assert.throws(
        () => setup({trustedProxies: ['127.0.0.1', entry]}),
        (error: Error) => error.message.includes(JSON.stringify(entry)),
        entry,
      );
  });
});
