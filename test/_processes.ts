/**
 * Real `rapport serve` processes for tests that need more than one app process on one database
 * (`node --import tsx src/cli/main.ts serve`). Each process is started on a free port, waited for
 * until GET /api/health answers 200, and stopped by its own pid (SIGTERM, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { loadConfig } from '../src/server/config.js';
import { closeContext, createContext, type AppContext } from '../src/server/context.js';
import { freshDatabase, type TestDb } from './_util.js';

const ROOT = resolve(import.meta.dirname, '..');

export interface ServerProcess {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? done(port) : fail(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

/** Start `rapport serve` with `env` on top of this process's environment; resolves once healthy. */
export async function startServer(env: Record<string, string>, opts: { timeoutMs?: number } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', SEED_DEMO: 'false', LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    url,
    pid: child.pid ?? -1,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const done = await Promise.race([exited(child).then(() => true), sleep(5_000).then(() => false)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited(child);
      }
    },
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 45_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`rapport serve exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${out}`);
    }
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) return server;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await server.stop();
  throw new Error(`rapport serve was not healthy within ${opts.timeoutMs ?? 45_000} ms:\n${out}`);
}

/** A fresh PostgreSQL database, a context on it for direct reads (no graph), and two `rapport serve` processes on it. */
export interface TwoServers {
  db: TestDb;
  ctx: AppContext;
  one: ServerProcess;
  two: ServerProcess;
  close(): Promise<void>;
}

export async function twoServersOnPostgres(env: Record<string, string> = {}): Promise<TwoServers> {
  const db = await freshDatabase('postgres');
  const ctx = await createContext(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: db.url }), { graph: false });
  const [one, two] = await Promise.all([startServer({ DATABASE_URL: db.url, ...env }), startServer({ DATABASE_URL: db.url, ...env })]);
  return {
    db,
    ctx,
    one,
    two,
    close: async () => {
      await Promise.all([one.stop(), two.stop()]);
      await closeContext(ctx);
      await db.drop();
    },
  };
}
