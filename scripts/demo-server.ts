/**
 * What `npm run screenshots` and `npm run lighthouse` share: `rapport serve` from source in
 * production mode on a throwaway SQLite database with the demo network seeded, on a free localhost
 * port, and a signed-in member talking to its API as the web app does (session cookie plus CSRF token).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const PASSWORD = 'rapport-demo-2026';
export const DEMO = 'demo@rapport.test';
export const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

export class Member {
  private constructor(
    readonly base: string,
    readonly id: string,
    /** `name=value` of the session cookie, as a Cookie header carries it. */
    readonly cookie: string,
    private readonly csrf: string,
  ) {}

  static async login(base: string, email: string, password = PASSWORD): Promise<Member> {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
    const me = (await res.json()) as { id: string; csrfToken: string };
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return new Member(base, me.id, cookie, me.csrfToken);
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { cookie: this.cookie, 'x-csrf-token': this.csrf };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }
}

export interface DemoServer {
  base: string;
  /** The server's environment, for CLI commands against the same database. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startDemoServer(members = 250, extraEnv: Record<string, string> = {}): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-demo-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${join(dir, 'rapport.db')}`,
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'true',
    SEED_MEMBERS: String(members),
    RATE_LIMIT_AUTH_PER_IP: '100000',
    ...extraEnv,
  };
  // Without SMTP the server keeps emails for /dev/mail, and the top bar links there.
  delete env.SMTP_URL;
  const child: ChildProcess = spawn(process.execPath, [...CLI, 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  child.on('exit', (code) => code && code !== 0 && process.stderr.write(`server exited with ${code}\n`));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(base);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, env, stop };
}

async function waitUntilUp(base: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not start within 2 minutes');
}
