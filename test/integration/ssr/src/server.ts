// A Node app that renders <otp-step> on the server with @lit-labs/ssr (declarative
// shadow DOM), serves the client that hydrates it, and mounts the reference server
// from otp-step/server at /api/otp, in test mode so the dialog shows the code.
import {randomBytes} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {createServer} from 'node:http';
import {extname, join, normalize} from 'node:path';
import {render} from '@lit-labs/ssr';
import {collectResult} from '@lit-labs/ssr/lib/render-result.js';
import {html} from 'lit';
import {createOtpHandler, toNodeListener} from 'otp-step/server';
import 'otp-step';

const clientDir = join(import.meta.dirname, '..', 'client');
const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

const otp = toNodeListener(
  createOtpHandler({secret: randomBytes(32), testMode: true, notify: () => {}}),
);

async function page(): Promise<string> {
  const body = await collectResult(
    render(html`
      <main>
        <h1>otp-step rendered on the server</h1>
        <otp-step
          id="ssr-step"
          endpoint="/api/otp"
          step-name="login-2fa"
          user="ssr.user"
          client="ssr-app"
        ></otp-step>
        <output id="ssr-confirmed"></output>
      </main>
    `),
  );
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <link rel="icon" href="data:," />
    <title>otp-step with @lit-labs/ssr</title>
    <script type="module" src="/client/client.js"></script>
  </head>
  <body>${body}</body>
</html>
`;
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path.startsWith('/api/otp/')) return void otp(req, res);
  void (async () => {
    try {
      if (path === '/') {
        res.writeHead(200, {'content-type': 'text/html; charset=utf-8'});
        res.end(await page());
        return;
      }
      const file = normalize(join(clientDir, path.slice('/client/'.length)));
      if (path.startsWith('/client/') && file.startsWith(clientDir)) {
        const body = await readFile(file);
        res.writeHead(200, {
          'content-type': types[extname(file)] ?? 'application/octet-stream',
        });
        res.end(body);
        return;
      }
      res.writeHead(404).end();
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      if (!missing) console.error(error);
      res.writeHead(missing ? 404 : 500).end();
    }
  })();
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(
    `listening on http://127.0.0.1:${process.env.PORT ?? 3000}/ (node ${process.version})`,
  );
});
