/**
 * How long a starting `rapport serve` keeps other processes from writing to its SQLite file
 * (docs/jobs.md, "Startup and the write lock").
 *
 * A fresh file database is seeded once by a first serve (SEED_DEMO, 250 members). Then serve is
 * started STARTUP_RUNS times (5) on it, and killed with SIGKILL once it listens. Meanwhile a probe
 * in another process writes a row every 5 ms, each a `BEGIN IMMEDIATE … COMMIT` with a busy timeout
 * of 30 s, and records how long each write waited. Printed: the longest wait per start (and while
 * the first serve seeds), which is what a `rapport worker` next to the starting serve would wait.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freshDatabase } from '../test/_util.js';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.STARTUP_RUNS ?? 5);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The probe: one write every 5 ms; prints each wait over 20 ms as `<wait ms>`.
const PROBE = `
const Sqlite = require(process.argv[1]);
const db = new Sqlite(process.argv[2], { timeout: 30000 });
db.pragma('journal_mode = WAL');
db.exec('create table if not exists lock_probe (at integer)');
const insert = db.prepare('insert into lock_probe (at) values (?)');
const tick = () => {
  const t0 = performance.now();
  db.exec('begin immediate');
  insert.run(Date.now());
  db.exec('commit');
  const waited = performance.now() - t0;
  if (waited > 20) process.stdout.write(waited.toFixed(0) + '\\n');
  setTimeout(tick, 5);
};
tick();
`;

function startServe(url: string, port: number): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), LOG_LEVEL: 'info', WORKER_IN_SERVE: 'false', PUBLIC_URL: 'https://rapport.test', SEED_MEMBERS: process.env.SEED_MEMBERS ?? '250' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function listening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Rapport is listening')) resolve();
    });
    child.once('exit', () => reject(new Error('serve exited before listening')));
  });
}

const db = await freshDatabase('sqlite');
const file = db.url.replace(/^sqlite:(\/\/)?/, '');
const probe = spawn(process.execPath, ['-e', PROBE, (await import('node:module')).createRequire(import.meta.url).resolve('better-sqlite3'), file], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let waits: number[] = [];
probe.stdout.on('data', (c: Buffer) => waits.push(...c.toString().trim().split('\n').map(Number)));
const rows: string[] = [];
try {
  for (let run = 0; run <= RUNS; run++) {
    await sleep(300);
    waits = [];
    const t0 = performance.now();
    const serve = startServe(db.url, 4300 + run);
    await listening(serve);
    const boot = performance.now() - t0;
    await sleep(300);
    serve.kill('SIGKILL');
    await new Promise((r) => serve.once('exit', r));
    rows.push(`| ${run === 0 ? 'first start (seeds)' : `restart ${run}`} | ${boot.toFixed(0)} ms | ${waits.length} | ${waits.length ? Math.max(...waits).toFixed(0) : '≤ 20'} ms |`);
  }
} finally {
  probe.kill('SIGKILL');
  await db.drop();
}
process.stdout.write(['', '| start | to listening | probe writes that waited > 20 ms | longest wait |', '|---|---|---|---|', ...rows, ''].join('\n'));
