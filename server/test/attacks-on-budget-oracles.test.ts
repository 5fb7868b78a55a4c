/**
 * The sending budgets as enumeration oracles (issue 19). A request cut by the
 * destination's or the country's budget is answered 201 as if sent, and its
 * status says `delivery: 'failed'`; a decoy (a user `lookupUser` does not
 * know) must look the same at every step, or the budgets tell an attacker who
 * is a user, which `revealUnknownUsers: false` promises they do not. No
 * `authenticate` here: anyone may ask for anyone's code and read its status.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {DEFAULT_LIMITS} from '../index.js';
import {UNSENT_SHOWS_QUEUED_MS} from '../status.js';
import {phoneNumbers, recordingSms, silentLogger} from './abuse-world.js';
import {byTestAddress, type Ctx, issue, send, setup} from './helpers.js';

/** The n-th address of a botnet (IPv4, all distinct). */
const bot = (n: number) => ({
  'x-test-address': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
});

/** The status's `delivery` (GET …/codes/{requestId}). */
async function deliveryOf(ctx: Ctx, requestId: unknown, headers = {}) {
  const answer = await send(ctx.handler, `/otp/codes/${requestId}`, {headers});
  const body = (await answer.json()) as {delivery?: string};
  return answer.status === 200 ? String(body.delivery) : `status ${answer.status}`;
}

/** A handler sending SMS through a recording provider, its users a table. */
function withUsers(directory: Map<string, {phone: string}>) {
  const sms = recordingSms(() => ctx.clock.now);
  const ctx = setup({
    ...byTestAddress,
    lookupUser: (user) => directory.get(user) ?? null,
    notify: sms.notifier,
    logger: silentLogger,
  });
  return {ctx, sends: sms.sends};
}

/** What the attacker sees of one request: the answer's status, the hint's calling code, the status's delivery. */
async function observe(ctx: Ctx, user: string, client: string, from: number) {
  const issued = await issue(ctx, user, {client}, bot(from));
  await ctx.handler.idle();
  // Past the time a decoy shows `queued`: what is read is where each settles.
  ctx.clock.now += UNSENT_SHOWS_QUEUED_MS;
  return {
    status: issued.status,
    country: String(issued.json.destinationHint).split(' ')[0],
    delivery: await deliveryOf(ctx, issued.json.requestId, bot(from)),
  };
}

describe('attack: the destination budget as an oracle', () => {
  it('shows a known user’s codes past the destination’s budget as an unknown user’s are shown', async () => {
    // The sixth code in a window is cut for a known user; a decoy's sixth must look cut too.
    const {ctx} = withUsers(new Map([['maria', {phone: '+351912345678'}]]));
    const probe = async (user: string) => {
      const seen = [];
      for (let i = 0; i <= DEFAULT_LIMITS.sendsPerDestination; i++) {
        const {status, delivery} = await observe(ctx, user, `c${i}`, i);
        seen.push(`${status} ${delivery}`);
      }
      return seen;
    };
    const known = await probe('maria');
    const unknown = await probe('nobody');
    assert.deepEqual(
      unknown,
      known,
      `maria: ${known.join(', ')}; nobody: ${unknown.join(', ')}`,
    );
  });
});

describe('attack: the country budget as an oracle', () => {
  it('shows a new user of a country past its budget as a decoy with that country’s hint is shown', async () => {
    // Portugal (+351) is one of the calling codes decoy hints are made with,
    // so a +351 hint alone does not tell a user from a decoy; the country's
    // budget, once bots have used it up, must not either.
    const botPhones = phoneNumbers(50, '+3519123000', 2, 'PT', 'MOBILE');
    const directory = new Map(botPhones.map((phone, k) => [`bot-${k}`, {phone}]));
    directory.set('ines', {phone: '+351912345678'});
    const {ctx, sends} = withUsers(directory);
    // Bots' own accounts, never confirming: 250 requests past the destination budget, 5 a number.
    let from = 0;
    for (let round = 0; round < DEFAULT_LIMITS.sendsPerDestination; round++)
      for (let k = 0; k < botPhones.length; k++)
        await issue(ctx, `bot-${k}`, {client: `r${round}`}, bot(from++));
    await ctx.handler.idle();
    // A made-up name whose decoy hint is Portuguese, as the attacker would pick one.
    let decoy = '';
    for (let i = 0; i < 200 && !decoy; i++) {
      const answer = await issue(ctx, `nobody-${i}`, {client: 'look'}, bot(from++));
      if (String(answer.json.destinationHint).startsWith('+351')) decoy = `nobody-${i}`;
    }
    assert.ok(decoy, 'a made-up name with a +351 hint');
    const seen = async (name: string) => {
      const {status, country, delivery} = await observe(ctx, name, 'probe', from++);
      return `${status} ${country} ${delivery}`;
    };
    const user = await seen('ines');
    const made = await seen(decoy);
    console.log(
      `# country oracle: bots sent ${sends.length} to PT; ines (a user) → ${user}; ${decoy} (made up) → ${made}`,
    );
    assert.equal(made, user, `ines (a user) → ${user}; ${decoy} (made up) → ${made}`);
  });
});
