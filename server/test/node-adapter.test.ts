import assert from 'node:assert/strict';
import {createServer, request as httpRequest, type Server} from 'node:http';
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
    // A parser that lets far more through than the handler takes.
    app.use('/roomy', express.json({limit: '1mb'}), toNodeListener(ctx.handler));
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

  it('holds a body express.json() already parsed to maxBodyBytes, in UTF-8 bytes', async () => {
    const raw = await call(`${plain}/codes`, issueBody('x'.repeat(10_000)));
    const refused = async (body: unknown) => {
      const answer = await call(`${viaExpress}/roomy/codes`, body);
      const json = (await answer.json()) as Record<string, unknown>;
      assert.equal(answer.status, 413);
      assert.equal(answer.headers.get('connection'), 'close');
      return json;
    };
    const big = await refused(issueBody('frank', {padding: 'x'.repeat(692 * 1024)}));
    // The same problem as a raw body too large.
    assert.deepEqual(big, await raw.json());
    // 1,400 characters, 4,200 bytes: the limit is in bytes.
    assert.equal(
      (await refused(issueBody('frank', {padding: '€'.repeat(1400)}))).code,
      'body-too-large',
    );
    const small = await call(
      `${viaExpress}/roomy/codes`,
      issueBody('frank', {padding: '€'.repeat(900)}),
    );
    assert.equal(small.status, 201);
  });

  it("runs the handler on Node's own request and response: no web Request, Response or stream is made", async () => {
    const made: string[] = [];
    const {
      Request: WebRequest,
      Response: WebResponse,
      ReadableStream: WebStream,
    } = globalThis;
    // Counted while the server answers; the client here is node:http, which makes none.
    globalThis.Request = class extends WebRequest {
      constructor(...args: ConstructorParameters<typeof Request>) {
        super(...args);
        made.push('Request');
      }
    };
    globalThis.Response = class extends WebResponse {
      constructor(...args: ConstructorParameters<typeof Response>) {
        super(...args);
        made.push('Response');
      }
    };
    globalThis.ReadableStream = new Proxy(WebStream, {
      construct(target, args: unknown[]) {
        made.push('ReadableStream');
        return Reflect.construct(target, args);
      },
    });
    try {
      const {port} = servers[0].address() as AddressInfo;
      const answer = await new Promise<{status: number; body: string}>(
        (resolve, reject) => {
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port,
              path: '/codes',
              method: 'POST',
              headers: {'content-type': 'application/json'},
            },
            (res) => {
              let body = '';
              res.on('data', (chunk) => (body += chunk));
              res.on('end', () => resolve({status: res.statusCode ?? 0, body}));
            },
          );
          req.on('error', reject);
          req.end(JSON.stringify(issueBody('native')));
        },
      );
      assert.equal(answer.status, 201, answer.body);
      assert.deepEqual(made, []);
    } finally {
      Object.assign(globalThis, {
        Request: WebRequest,
        Response: WebResponse,
        ReadableStream: WebStream,
      });
    }
  });

  it("hands the app's hooks a web Request with the request's headers, made only for them", async () => {
    const seen: string[] = [];
    const hooked = setup({
      authenticate: (request) => {
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        return request.headers.get('x-user');
      },
    });
    const server = createServer(toNodeListener(hooked.handler));
    const url = await listen(server);
    try {
      const answer = await fetch(`${url}/otp/codes`, {
        method: 'POST',
        headers: {'content-type': 'application/json', 'x-user': 'Alice'},
        body: JSON.stringify(issueBody('alice')),
      });
      assert.equal(answer.status, 201);
      assert.deepEqual(seen, ['POST /otp/codes']);
    } finally {
      server.close();
    }
  });

  it('mounts any other (Request) => Promise<Response> handler through a web Request', async () => {
    const server = createServer(
      toNodeListener(async (request) =>
        Response.json({method: request.method, body: await request.json()}),
      ),
    );
    const url = await listen(server);
    try {
      const answer = await call(`${url}/codes`, {a: 1});
      assert.deepEqual(await answer.json(), {method: 'POST', body: {a: 1}});
    } finally {
      server.close();
    }
  });
});
