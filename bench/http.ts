/**
 * B4 (profile read) and B5 (send an invitation) against a hello route in the same server. The
 * server runs pinned to core 0 and autocannon to core 1 (`taskset`), each in its own process.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/server/config.js';
import { closeContext, createContext } from '../src/server/context.js';
import { prng } from '../src/cli/prng.js';
import type { Row } from './table.js';

interface Load {
  rps: number;
  p99: number;
  p999: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  total: number;
}
type Request = { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };

const SECONDS = 10;
const CONNECTIONS = 10;
const pin = (core: number) => (cpus().length > 1 ? ['taskset', '-c', String(core)] : []);

export async function httpBench(file: string): Promise<Row[]> {
  const url = `sqlite:${file}`;
  const { viewers, targets } = await prepare(url);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const server = await startServer(url, port);
  try {
    const base = `http://127.0.0.1:${port}`;
    const rnd = prng(7);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)] as T;
    // Each run first sends some of its requests as a warm-up, not measured (profiles: every one once).
    const hello = load(base, [{ method: 'GET', path: '/bench/hello', headers: {} }], 2000);
    // Context, not a target: the same /api hooks (authentication, rate limits) and no work.
    const me = load(base, viewers.map((v): Request => ({ method: 'GET', path: '/api/me', headers: v.headers })), 2000);
    const profiles = Array.from({ length: 5000 }, (): Request => ({ method: 'GET', path: `/api/members/${pick(targets)}`, headers: pick(viewers).headers }));
    const profile = load(base, profiles, profiles.length);
    // Distinct pairs, more than the run can send: every request is a first send.
    const sends = Array.from({ length: 200_000 }, (): Request => {
      const v = pick(viewers);
      return { method: 'POST', path: '/api/invitations', headers: { ...v.headers, 'content-type': 'application/json' }, body: JSON.stringify({ recipientId: pick(targets), note: 'Hello from the benchmark' }) };
    });
    const send = load(base, sends, 500);
    const f = (n: number) => Math.round(n).toLocaleString('en');
    return [
      {
        name: 'B4 context: GET /api/me (authentication and rate limits, no other work)',
        baseline: `${f(hello.rps)} req/s hello`,
        ours: `${f(me.rps)} req/s, p99 ${me.p99} ms`,
        ratio: me.rps / hello.rps,
        target: 'report',
        pass: me.non2xx === 0 && me.errors === 0,
      },
      {
        name: 'B4 GET a profile with degree and mutuals',
        baseline: `${f(hello.rps)} req/s hello`,
        ours: `${f(profile.rps)} req/s, p99 ${profile.p99} ms, ${profile.non2xx} non-2xx`,
        ratio: profile.rps / hello.rps,
        target: '≥ 0.7× hello',
        pass: profile.rps >= 0.7 * hello.rps && profile.non2xx === 0 && profile.errors === 0,
      },
      {
        name: 'B5 POST an invitation',
        baseline: `${f(hello.rps)} req/s hello`,
        ours: `${f(send.rps)} req/s, p99.9 ${send.p999} ms, max ${send.max} ms, ${send.non2xx} non-2xx of ${f(send.total)}`,
        ratio: send.rps / hello.rps,
        target: '≥ 0.4× hello, p99.9 ≤ 100 ms, max < 1 s',
        pass: send.rps >= 0.4 * hello.rps && send.p999 <= 100 && send.max < 1000 && send.errors === 0,
      },
    ];
  } finally {
    server.kill('SIGTERM');
  }
}

/** API tokens for 200 viewers, and the member ids to look at and invite. */
async function prepare(url: string) {
  const ctx = await createContext(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' }), { graph: false });
  try {
    const ids = (await ctx.database.db.selectFrom('members').select('id').orderBy('id').execute()).map((r) => r.id);
    const rnd = prng(3);
    const viewers: Array<{ id: string; headers: Record<string, string> }> = [];
    for (let i = 0; i < 200; i++) {
      const id = ids[Math.floor(rnd() * ids.length)] as string;
      const { secret } = await ctx.auth.createToken(id, 'benchmark');
      viewers.push({ id, headers: { authorization: `Bearer ${secret}` } });
    }
    return { viewers, targets: ids };
  } finally {
    await closeContext(ctx);
  }
}

function startServer(url: string, port: number) {
  const [cmd, ...args] = [...pin(0), process.execPath, '--import', 'tsx', 'bench/http-server.ts'];
  const child = spawn(cmd as string, args, { env: { ...process.env, DATABASE_URL: url, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise<typeof child>((ready, fail) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('listening') && ready(child));
    child.once('exit', (code) => fail(new Error(`bench server exited with ${code}`)));
  });
}

function load(base: string, requests: Request[], warmup: number): Load {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-bench-'));
  const spec = join(dir, 'spec.json');
  writeFileSync(spec, JSON.stringify({ url: base, connections: CONNECTIONS, seconds: SECONDS, warmup, requests }));
  const [cmd, ...args] = [...pin(1), process.execPath, '--import', 'tsx', 'bench/http-load.ts', spec];
  return JSON.parse(execFileSync(cmd as string, args, { encoding: 'utf8', maxBuffer: 1 << 24 })) as Load;
}
