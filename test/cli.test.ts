/** The `rapport` command as an operator runs it: real processes on a real database file. */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, freshDatabase, type TestDb } from './_util.js';

const rapport = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8' });

async function waitForHealth(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy');
}

describe.each(dialects)('rapport CLI [%s]', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDatabase(dialect);
  });
  afterAll(() => db.drop());

  // Five real processes, each compiling the CLI with tsx: minutes on a busy 2-core machine.
  it('migrates, seeds members with a network, and creates an admin', { timeout: 240_000 }, () => {
    const env = { DATABASE_URL: db.url };
    expect(rapport(['migrate'], env).stdout).toContain('database is up to date');
    const seed = rapport(['seed', '--members', '300', '--avg-degree', '8'], env);
    expect(seed.status).toBe(0);
    expect(seed.stdout).toMatch(/seeded 300 members and \d+ connections/);
    expect(seed.stdout).toContain('demo login: demo@rapport.test');
    // A second seed adds members, and leaves the demo account as it is.
    expect(rapport(['seed', '--members', '40'], env).stdout).not.toContain('demo login');
    const admin = rapport(['admin', 'create', '--email', 'Root@Example.com', '--password', 'a long admin password'], env);
    expect(admin.stdout).toContain('root@example.com is an administrator');
    const weak = rapport(['admin', 'create', '--email', 'x@example.com', '--password', 'short'], env);
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain('at least 10 characters');
  });

  it('serves health and the API, logs in the CLI-made admin, and shuts down gracefully on SIGTERM', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForHealth(url);
      expect(out).toContain(`Rapport is starting on http://localhost:${port}`);
      // `rapport seed` made the demo account, so the banner offers its login, and it works.
      expect(out).toContain('Demo login: demo@rapport.test / rapport-demo-2026');
      const demo = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'demo@rapport.test', password: 'rapport-demo-2026' }),
      });
      expect(demo.status).toBe(200);
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'root@example.com', password: 'a long admin password' }),
      });
      expect(login.status).toBe(200);
      expect((await login.json()).role).toBe('admin');
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('prints no demo login on a database without the seeded demo account', async () => {
    const empty = await freshDatabase(dialect);
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      env: { ...process.env, DATABASE_URL: empty.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitForHealth(`http://127.0.0.1:${port}`);
      expect(out).toContain(`Rapport is starting on http://localhost:${port}`);
      expect(out).not.toContain('Demo login');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
      await empty.drop();
    }
  });
});
