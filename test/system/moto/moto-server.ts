/*
 * One moto server per test file: an independent model of the AWS APIs (moto 5.2.1, see ../shared/TOOLCHAIN.md),
 * reached by the real AWS SDK v3 and the real awscli.
 *
 *   let moto: MotoServer;
 *   beforeAll(async () => { moto = await startMoto(); });
 *   afterAll(() => moto?.stop());
 *
 * moto_server runs under a small bash watchdog in its own process group: `stop()` kills the group by PID; the jest
 * worker's `exit` kills it too; and if the worker dies without running either (SIGKILL, a crash), the watchdog sees
 * its owner gone within a second and kills moto itself. No orphan either way.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as http from 'http';
import * as net from 'net';

/** The account moto answers as. */
export const MOTO_ACCOUNT_ID = '111111111111';

/** A running moto server. */
export interface MotoServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** The watchdog's PID (the process group of moto_server). */
  readonly pid: number;
  /** Environment for the SDK and the awscli: dummy credentials, `AWS_ENDPOINT_URL` at moto, no profile files. */
  env(region: string): Record<string, string>;
  /** `POST /moto-api/reset`: every service back to empty. */
  reset(): Promise<void>;
  /** Kills the server (its process group) and waits for it to exit. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function request(port: number, method: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Fails loudly (never skips) when moto_server is missing. */
export function requireOnPath(tool: string, why: string): void {
  const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  if (found.status !== 0 || !found.stdout.trim()) {
    throw new Error(`${tool} is not on PATH: ${why}. It ships with moto 5.2.1 / awscli v1 on every machine of this kind (../shared/TOOLCHAIN.md).`);
  }
}

/** The bash watchdog: runs moto_server, kills it when the owner process (the jest worker) is gone. */
const WATCHDOG = [
  'moto_server -H 127.0.0.1 -p "$MOTO_PORT" &',
  'm=$!',
  'trap \'kill $m 2>/dev/null; wait $m; exit 0\' TERM INT HUP',
  'while kill -0 "$OWNER_PID" 2>/dev/null && kill -0 $m 2>/dev/null; do sleep 1 & wait $!; done',
  'kill $m 2>/dev/null; wait $m',
].join('\n');

/** Starts moto_server on a free port and waits until it answers (30 s at most). */
export async function startMoto(): Promise<MotoServer> {
  requireOnPath('moto_server', 'the moto tests run our handlers and the runbook commands against it');
  const port = await freePort();
  const child: ChildProcess = spawn('bash', ['-c', WATCHDOG], {
    env: { ...process.env, MOTO_PORT: String(port), OWNER_PID: String(process.pid), MOTO_ACCOUNT_ID },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const pid = child.pid!;
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + String(d)).slice(-4000);
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => {
    exited = true;
    resolve();
  }));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`moto_server exited before answering on port ${port}:\n${stderr}`);
    try {
      if ((await request(port, 'GET', '/moto-api/data.json')) === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      killGroup('SIGKILL');
      throw new Error(`moto_server did not answer on port ${port} within 30 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }

  const endpoint = `http://127.0.0.1:${port}`;
  return {
    port,
    endpoint,
    pid,
    env: (region) => ({
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_SESSION_TOKEN: 'testing',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ENDPOINT_URL: endpoint,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
    }),
    reset: async () => {
      const status = await request(port, 'POST', '/moto-api/reset');
      if (status !== 200) throw new Error(`moto reset answered ${status}`);
    },
    stop: async () => {
      process.removeListener('exit', onExit);
      if (exited) return;
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Sets `vars` in process.env (for SDK clients created later, e.g. at module scope of a handler); returns an undo. */
export function setEnv(vars: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
