import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type IncomingMessage} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {ADAPTER, issueBody, SECRET, STORE_KIND} from './helpers.js';
import {freePort} from './redis-server.js';
import {startService} from './service-process.js';

const PROMETHEUS = process.env.PROMETHEUS || 'prometheus';
const HOOK_SECRET = 'the webhook secret shared with the app, 32+ bytes';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The app: its directory (`e-…` users have an e-mail address, `s-…` a
 * Portuguese mobile number, `ghost-…` are unknown) and its notify webhook,
 * which fails every try for `down-…` users.
 */
async function theApp() {
  let phones = 0;
  const server = createServer(async (req: IncomingMessage, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const {user} = JSON.parse(text) as {user: string};
    if (req.url === '/notify')
      return void res.writeHead(user.includes('down-') ? 500 : 204).end();
    if (user.startsWith('ghost-')) return void res.writeHead(404).end();
    res.writeHead(200, {'content-type': 'application/json'});
    res.end(
      JSON.stringify(
        user.startsWith('s-')
          ? {phone: `+3519123456${String(phones++).padStart(2, '0')}`}
          : {email: `${user}@example.com`},
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A real Prometheus scraping `target` every second, its data in a directory of its own. */
async function startPrometheus(target: string) {
  const dir = mkdtempSync(join(tmpdir(), 'otp-step-prometheus-'));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: {scrape_interval: 1s, evaluation_interval: 1s}',
      'scrape_configs:',
      '  - job_name: otp-step',
      `    static_configs: [{targets: ['${target}']}]`,
    ].join('\n'),
  );
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    {stdio: ['ignore', 'pipe', 'pipe']},
  );
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(
        new Error(
          `cannot run ${PROMETHEUS} (${error.message}): install Debian's prometheus package, or set PROMETHEUS`,
        ),
      ),
    );
    child.once('exit', (code) =>
      reject(new Error(`prometheus exited ${code}: ${output}`)),
    );
  });
  const url = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${url}/-/ready`)).ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`prometheus did not get ready: ${output}`);
  })();
  await Promise.race([ready, failed]);
  failed.catch(() => {});
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, {recursive: true, force: true});
    },
  };
}

type Vector = {metric: Record<string, string>; value: [number, string]}[];

/** An instant query through Prometheus's HTTP API. */
async function query(prometheus: string, promql: string): Promise<Vector> {
  const response = await fetch(
    `${prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`,
  );
  const body = (await response.json()) as {status: string; data: {result: Vector}};
  assert.equal(body.status, 'success', JSON.stringify(body));
  return body.data.result;
}

/** A vector as `{"web email": 5, …}`, keyed by the values of `labels`. */
const byLabels = (vector: Vector, labels: string[]) =>
  Object.fromEntries(
    vector.map((s) => [
      labels.map((l) => s.metric[l] ?? '').join(' '),
      Math.round(Number(s.value[1]) * 1000) / 1000,
    ]),
  );

/** Queries until the answer is `expected` (a scrape a second, the flow's last counts arrive within a few). */
async function until(
  prometheus: string,
  promql: string,
  labels: string[],
  expected: Record<string, number>,
) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const seen = byLabels(await query(prometheus, promql), labels);
    try {
      assert.deepEqual(seen, expected, promql);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await sleep(250);
  }
}

describe(
  `Prometheus scraping the side service (${STORE_KIND} store)`,
  {
    // The service runs as a process of its own whichever adapter the suite uses: once per store is enough.
    skip: ADAPTER === 'node' && 'the service process does not use the suite’s adapter',
  },
  () => {
    let app: Awaited<ReturnType<typeof theApp>>;
    let service: Awaited<ReturnType<typeof startService>>;
    let prometheus: Awaited<ReturnType<typeof startPrometheus>>;
    before(async () => {
      app = await theApp();
      service = await startService({
        OTP_SECRET: SECRET,
        OTP_TEST_MODE: '1',
        OTP_LOOKUP_URL: `${app.url}/lookup`,
        OTP_NOTIFY_URL: `${app.url}/notify`,
        OTP_WEBHOOK_SECRET: HOOK_SECRET,
        OTP_METRICS_PORT: '0',
        OTP_METRICS_CLIENTS: 'web,ios',
        OTP_METRICS_STEPS: 'login',
        OTP_MAX_ATTEMPTS: '2',
        // Every request comes from this machine; on a shared Redis its budget would carry over between runs.
        OTP_ISSUES_PER_ADDRESS: '100000',
        ...(process.env.OTP_TEST_REDIS_URL
          ? {OTP_REDIS_URL: process.env.OTP_TEST_REDIS_URL}
          : {}),
      });
      prometheus = await startPrometheus(new URL(service.metricsUrl!).host);
    });
    after(async () => {
      await prometheus?.stop();
      service?.child.kill('SIGTERM');
      await service?.exited;
      await app?.close();
    });

    const run = `${process.pid}-${Date.now().toString(36)}`;
    const issue = async (user: string, client: string, channel: 'email' | 'sms') => {
      const response = await fetch(`${service.url}/codes`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify(issueBody(`${user}-${run}`, {client, channel})),
      });
      assert.equal(response.status, 201, await response.clone().text());
      return (await response.json()) as {requestId: string; code: string};
    };
    const confirm = async (requestId: string, code: string) =>
      (
        await fetch(`${service.url}/codes/${requestId}/confirm`, {
          method: 'POST',
          headers: {'content-type': 'application/json'},
          body: JSON.stringify({code}),
        })
      ).status;
    /** Until the service says how the code's delivery went (it runs behind the answer). */
    const delivered = async (requestId: string) => {
      for (let i = 0; i < 100; i++) {
        const status = (await (
          await fetch(`${service.url}/codes/${requestId}`)
        ).json()) as {delivery?: string};
        if (status.delivery !== 'queued') return status.delivery;
        await sleep(50);
      }
      return 'queued';
    };

    it('sees the counts of a flow, and the conversion (confirmed ÷ delivered) by client and channel', async () => {
      // The public port never serves the metrics.
      assert.equal((await fetch(`${service.url}/metrics`)).status, 404);
      // And the operator's port serves nothing but the metrics and the probes.
      assert.equal(
        (await fetch(`${service.metricsUrl}/codes`, {method: 'POST'})).status,
        404,
      );

      // web by e-mail: 5 delivered, 3 confirmed, 1 locked by two wrong codes, 1 never sent (the app's webhook is down).
      const webEmail = await Promise.all(
        ['e-a', 'e-b', 'e-c', 'e-d', 'e-e'].map((u) => issue(u, 'web', 'email')),
      );
      for (const {requestId} of webEmail)
        assert.equal(await delivered(requestId), 'sent');
      for (const {requestId, code} of webEmail.slice(0, 3))
        assert.equal(await confirm(requestId, code), 200);
      const wrong = (code: string) => (code === '000000' ? '111111' : '000000');
      assert.equal(await confirm(webEmail[3].requestId, wrong(webEmail[3].code)), 422);
      assert.equal(await confirm(webEmail[3].requestId, wrong(webEmail[3].code)), 423);
      const down = await issue('e-down-f', 'web', 'email');
      assert.equal(await delivered(down.requestId), 'failed');

      // web by SMS to Portugal: 2 delivered, 1 confirmed.
      const webSms = await Promise.all(['s-a', 's-b'].map((u) => issue(u, 'web', 'sms')));
      for (const {requestId} of webSms) assert.equal(await delivered(requestId), 'sent');
      assert.equal(await confirm(webSms[0].requestId, webSms[0].code), 200);

      // ios by e-mail: 2 delivered, 2 confirmed; a client nobody listed counts as other.
      const ios = await Promise.all(['e-i', 'e-j'].map((u) => issue(u, 'ios', 'email')));
      for (const {requestId, code} of ios) {
        assert.equal(await delivered(requestId), 'sent');
        assert.equal(await confirm(requestId, code), 200);
      }
      const sneaky = await issue('e-k', `made-up-${run}`, 'email');
      assert.equal(await delivered(sneaky.requestId), 'sent');
      // An unknown user gets a decoy, counted only as such.
      await issue('ghost-l', 'web', 'email');

      const job = '{job="otp-step"}';
      const perClientChannel = ['client', 'channel'];
      await until(
        prometheus.url,
        `sum by (client, channel) (otp_issued_total${job})`,
        perClientChannel,
        {'web email': 6, 'web sms': 2, 'ios email': 2, 'other email': 1},
      );
      await until(
        prometheus.url,
        `sum by (client, channel) (otp_delivered_total${job})`,
        perClientChannel,
        {'web email': 5, 'web sms': 2, 'ios email': 2, 'other email': 1},
      );
      await until(
        prometheus.url,
        `sum by (client, channel) (otp_confirmed_total${job})`,
        perClientChannel,
        {'web email': 3, 'web sms': 1, 'ios email': 2},
      );
      await until(
        prometheus.url,
        `sum by (client, channel) (otp_locked_total${job})`,
        perClientChannel,
        {'web email': 1},
      );
      await until(
        prometheus.url,
        `sum by (client, channel, reason) (otp_delivery_failed_total${job})`,
        ['client', 'channel', 'reason'],
        {'web email provider': 1},
      );
      await until(prometheus.url, `sum (otp_unknown_user_total${job})`, [], {'': 1});
      // The conversion, as docs/operations.md writes it (here over the whole run).
      await until(
        prometheus.url,
        `sum by (client, channel) (otp_confirmed_total${job}) / sum by (client, channel) (otp_delivered_total${job})`,
        perClientChannel,
        {'web email': 0.6, 'web sms': 0.5, 'ios email': 1},
      );
      await until(
        prometheus.url,
        `sum by (country) (otp_confirmed_total{job="otp-step",channel="sms"}) / sum by (country) (otp_delivered_total{job="otp-step",channel="sms"})`,
        ['country'],
        {PT: 0.5},
      );
      // The process metrics ride along, and the store is up.
      await until(prometheus.url, `min (otp_store_up${job})`, [], {'': 1});
      assert.equal(
        (await query(prometheus.url, `process_resident_memory_bytes${job}`)).length,
        1,
      );
    });
  },
);
