/**
 * B6 sequence dispatch (docs/jobs.md, "Sequences"), on SQLite (a file) and on PostgreSQL when
 * RAPPORT_TEST_PG_URL is set, each on a fresh database:
 * - baseline: a bare batched claim-and-update loop on a table of due rows (one transaction claims
 *   up to 64 rows, `FOR UPDATE SKIP LOCKED` on PostgreSQL, and advances them), through the same
 *   `transaction()`;
 * - ours: the same number of enrolments of a one-step no-op sequence, run by a real Worker
 *   (`createWorker` settings: concurrency 4; batches of 64 step jobs, each batch one transaction
 *   with its completions), from the first claim until every enrolment is done;
 * - lateness: enrolments whose steps fall due at half the measured peak rate over LATENESS_SECONDS,
 *   the worker idle in between; lateness = when the step ran − its next_run_at;
 * - reference: the same number of step jobs claimed and completed by `JobQueue.runBatch` with no
 *   step run, the ceiling the jobs table's indexes leave the runner.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { z } from 'zod';
import { systemClock } from '../src/server/clock.js';
import { Database } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { JobQueue } from '../src/server/jobs/queue.js';
import { SequenceRunner } from '../src/server/jobs/sequence.js';
import { Worker } from '../src/server/jobs/worker.js';
import { freshDatabase } from '../test/_util.js';
import type { Row } from './table.js';

const STEPS = Number(process.env.BENCH_SEQUENCE_STEPS ?? 20_000);
const LATENESS_SECONDS = Number(process.env.BENCH_SEQUENCE_LATENESS_SECONDS ?? 10);
const BATCH = 64;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Result {
  bare: number;
  runner: number;
  queueOnly: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
  late: number;
}

export async function sequenceBench(): Promise<Row[]> {
  const rows: Row[] = [];
  const dialects: Array<'sqlite' | 'postgres'> = process.env.RAPPORT_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  for (const dialect of dialects) {
    const r = await measure(dialect);
    const name = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    rows.push({
      name: `B6 sequence dispatch, ${STEPS.toLocaleString('en')} no-op steps (${name})`,
      baseline: `${Math.round(r.bare).toLocaleString('en')} rows/s bare claim-and-update loop`,
      ours: `${Math.round(r.runner).toLocaleString('en')} steps/s (the queue alone, no step run: ${Math.round(r.queueOnly).toLocaleString('en')} jobs/s, ${(r.queueOnly / r.bare).toFixed(2)}×)`,
      ratio: r.runner / r.bare,
      target: '≥ 0.70× (ours ÷ baseline)',
      pass: r.runner / r.bare >= 0.7,
    });
    rows.push({
      name: `B6 lateness at half the peak rate, ${Math.round(r.rate).toLocaleString('en')} steps/s for ${LATENESS_SECONDS} s (${name})`,
      baseline: '—',
      ours: `p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms (${r.late} steps)`,
      ratio: null,
      target: 'p99 ≤ 100 ms',
      pass: r.p99 <= 100,
    });
  }
  return rows;
}

async function open(dialect: 'sqlite' | 'postgres'): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rapport-b6-'));
    const database = Database.open(`sqlite:${join(dir, 'b6.db')}`);
    return { database, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const tdb = await freshDatabase('postgres');
  return { database: Database.open(tdb.url), drop: tdb.drop };
}

async function measure(dialect: 'sqlite' | 'postgres'): Promise<Result> {
  const { database, drop } = await open(dialect);
  try {
    await migrateToLatest(database);
    const bare = await bareLoop(database);
    const queue = new JobQueue(database, systemClock);
    const runner = new SequenceRunner(database, systemClock, queue);
    const ran: number[] = [];
    runner.define({
      name: 'bench-noop',
      context: z.object({ offsetMs: z.number() }),
      steps: [
        {
          due: (e) => new Date(e.enrolledAt.getTime() + e.context.offsetMs),
          run: async (_tx, e) => {
            ran.push(Date.now() - e.nextRunAt.getTime());
            return { kind: 'done' };
          },
        },
      ],
    });
    const worker = new Worker(queue, pino({ level: 'silent' }), { concurrency: 4, pollMs: 1000, leaseMs: 60_000, batchSize: BATCH });
    worker.register(runner.job);

    // Peak: every step due at once.
    await enrol(database, runner, STEPS, () => 0);
    await sql`analyze`.execute(database.db);
    ran.length = 0;
    const started = performance.now();
    worker.start();
    await drained(database, () => ran.length >= STEPS);
    const runnerRate = STEPS / ((performance.now() - started) / 1000);

    // Half the peak rate, spread over LATENESS_SECONDS, enrolled ahead of time with the worker idle.
    const rate = runnerRate / 2;
    const count = Math.round(rate * LATENESS_SECONDS);
    const lead = 2000 + count / 2; // enough to enrol them before the first falls due
    await enrol(database, runner, count, (i) => lead + (i / rate) * 1000);
    ran.length = 0;
    await drained(database, () => ran.length >= count);
    await worker.stop();

    // Reference: the queue's share alone. The same step jobs claimed and completed in batches of
    // BATCH by `runBatch` with no step run (the enrolments stay running): what the jobs table's
    // indexes cost against the bare table's one.
    await enrol(database, runner, STEPS, () => 0);
    await sql`analyze`.execute(database.db);
    const queueStarted = performance.now();
    while ((await queue.runBatch([runner.job.name], BATCH, async () => undefined)) > 0);
    const queueOnly = STEPS / ((performance.now() - queueStarted) / 1000);
    const sorted = [...ran].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
    return { bare, runner: runnerRate, queueOnly, rate, p50: pct(50), p99: pct(99), max: sorted.at(-1) ?? 0, late: sorted.length };
  } finally {
    await database.close();
    await drop();
  }
}

let batchNo = 0;
async function enrol(database: Database, runner: SequenceRunner, n: number, offset: (i: number) => number): Promise<void> {
  const base = new Date();
  const run = ++batchNo;
  for (let start = 0; start < n; start += 500) {
    await database.transaction(async (tx) => {
      for (let i = start; i < Math.min(n, start + 500); i++) {
        await runner.enrol(tx, 'bench-noop', `s-${run}-${i}`, { context: { offsetMs: Math.round(offset(i)) }, enrolledAt: base });
      }
    });
  }
}

/**
 * Until no enrolment is left running. The count is a scan of the enrolments, and on SQLite it runs
 * on the worker's own thread: polled every 20 ms while the worker drains, it took ~8% of the
 * runner's time (B6, SQLite), so it is asked only once every step has been seen to run.
 */
async function drained(database: Database, allRan: () => boolean): Promise<void> {
  for (;;) {
    while (!allRan()) await sleep(5);
    if ((await remaining(database)) === 0) return;
    await sleep(5);
  }
}

async function remaining(database: Database): Promise<number> {
  const r = await database.db.selectFrom('sequence_enrolments').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'running').executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The baseline: claim up to BATCH due rows and advance them, one transaction per batch. */
async function bareLoop(database: Database): Promise<number> {
  await sql`create table bench_bare (id text primary key, state text not null, step integer not null, run_at text not null, updated_at text not null)`.execute(database.db);
  await sql`create index bench_bare_due on bench_bare (state, run_at, id)`.execute(database.db);
  const now = new Date().toISOString();
  for (let start = 0; start < STEPS; start += 1000) {
    const values = Array.from({ length: Math.min(1000, STEPS - start) }, (_, k) => sql`(${`r-${start + k}`}, 'queued', 0, ${now}, ${now})`);
    await database.transaction((tx) => sql`insert into bench_bare (id, state, step, run_at, updated_at) values ${sql.join(values)}`.execute(tx.db));
  }
  // Statistics for the planner, as a long-lived table would have them.
  await sql`analyze`.execute(database.db);
  const lock = database.dialect === 'postgres' ? sql` for update skip locked` : sql``;
  const started = performance.now();
  for (;;) {
    const n = await database.transaction(async (tx) => {
      const at = new Date().toISOString();
      const due = await sql<{ id: string }>`select id from bench_bare where state = 'queued' and run_at <= ${at} order by run_at, id limit ${BATCH}${lock}`.execute(tx.db);
      const ids = due.rows.map((r) => r.id);
      if (ids.length === 0) return 0;
      await sql`update bench_bare set state = 'done', step = step + 1, updated_at = ${at} where id in (${sql.join(ids)})`.execute(tx.db);
      return ids.length;
    });
    if (n === 0) break;
  }
  return STEPS / ((performance.now() - started) / 1000);
}
