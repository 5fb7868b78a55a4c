import assert from 'node:assert/strict';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';
import express from 'express';
import {toNodeListener} from '../index.js';
import {issueBody, setup} from './helpers.js';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

describe('toNodeListener', () => {
  const ctx = setup();
  const servers: Server[] = [];
  let plain = '';
  let viaExpress = '';
  before(async () => {
    servers.push(createServer(toNodeListener(ctx.handler)));
    plain = await listen(servers[0]);
    const app = express();
    // With and without a body parser in front.
    app.use('/parsed', express.json(), toNodeListener(ctx.handler));
    app.use('/otp', toNodeListener(ctx.handler));
    app.get('/otp/health', (_req, res) => void res.send('ok'));
    servers.push(createServer(app));
    viaExpress = await listen(servers[1]);
  });
  after(() => servers.forEach((s) => s.close()));

  const call = (url: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify(body),
    });

  it('serves the full flow over real HTTP on node:http', async () => {
    const issued = await call(`${plain}/api/otp/codes`, issueBody('dora'));
    assert.equal(issued.status, 201);
    const {requestId, code} = (await issued.json()) as {requestId: string; code: string};
    const confirmed = await call(`${plain}/api/otp/codes/${requestId}/confirm`, {code});
    assert.equal(confirmed.status, 200);
  });

  it('mounts on Express, with or without express.json(), and passes other paths on', async () => {
    for (const base of [`${viaExpress}/otp`, `${viaExpress}/parsed`]) {
      const issued = await call(`${base}/codes`, issueBody(`erin-${base.length}`));
      assert.equal(issued.status, 201, base);
      const {requestId, code} = (await issued.json()) as {
        requestId: string;
        code: string;
      };
      assert.equal(
        (await call(`${base}/codes/${requestId}/confirm`, {code})).status,
        200,
        base,
      );
    }
    assert.equal(await (await fetch(`${viaExpress}/otp/health`)).text(), 'ok');
  });

  it('refuses a body streamed past the limit', async () => {
    const answer = await fetch(`${plain}/codes`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({user: 'x'.repeat(10_000)}),
    });
    assert.equal(answer.status, 413);
  });
});
