import {spawn} from 'node:child_process';

/** The side service as `npx otp-step-server` runs it, compiled (npm run build:server). */
export const SERVICE_MAIN = 'dist/node/server/service/main.js';

/**
 * The service as its own process on a free port (PORT=0), with what it
 * printed; resolves once it logs that it listens, with the metrics port when
 * it has one (OTP_METRICS_PORT=0 picks a free one too).
 */
export async function startService(env: Record<string, string>, main = SERVICE_MAIN) {
  const child = spawn(process.execPath, [main], {
    env: {PATH: process.env.PATH, NODE_ENV: 'test', PORT: '0', ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const portOf = (msg: string) => {
    const line = stdout.split('\n').find((l) => l.includes(`"msg":"${msg}"`));
    return line ? (JSON.parse(line) as {port: number}).port : undefined;
  };
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${stderr}`)), 10_000);
    const look = () => {
      const found = portOf('listening');
      if (found === undefined) return;
      clearTimeout(timer);
      resolve(found);
    };
    child.stdout!.on('data', look);
    void exited.then(() => reject(new Error(`exited: ${stderr}`)));
  });
  const metricsPort = portOf('metrics listening');
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    metricsUrl: metricsPort === undefined ? undefined : `http://127.0.0.1:${metricsPort}`,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

/** The compiled service beside these tests (build/node), which `tsc` alone makes. */
export const BUILT_MAIN = new URL('../service/main.js', import.meta.url).pathname;

/**
 * The service started with `env` (and PATH, PORT=0) until it exits, as for a
 * setting it refuses: its exit code and what it wrote on stderr. Killed after
 * 10 s, so a service that starts after all fails the test rather than holding it.
 */
export function exitOf(env: Record<string, string>, main = BUILT_MAIN) {
  return new Promise<{code: number | null; stderr: string}>((resolve) => {
    const child = spawn(process.execPath, [main], {
      env: {PATH: process.env.PATH ?? '', PORT: '0', ...env},
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({code, stderr});
    });
  });
}
