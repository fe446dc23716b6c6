/**
 * The `sequence` scenario of `npm run test:crash` (docs/jobs.md, "Crash test"): 1,000 enrolments of
 * a three-step sequence (crash-sequence.def.ts; step 0 spread over CRASH_SEQUENCE_SPREAD_MS, the
 * next steps 100 ms after the previous) run by a real worker process (bench/sequence-worker.ts),
 * killed with SIGKILL at a random moment CRASH_SEQUENCE_KILLS times (20) and restarted; a last
 * worker finishes. Each step's effect is a row written in the step's transaction, so "exactly once"
 * is counted: every (enrolment, step) must have exactly one row, and every enrolment be done.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/server/config.js';
import { closeContext, createContext, type AppContext } from '../src/server/context.js';
import { freshDatabase } from '../test/_util.js';
import { CRASH_SEQUENCE, CRASH_STEPS, crashSequence, createEffectsTable } from './crash-sequence.def.js';
import { exited, rand, sleep } from './crash-processes.js';

const ENROLMENTS = Number(process.env.CRASH_SEQUENCE_ENROLMENTS ?? 1000);
const KILLS = Number(process.env.CRASH_SEQUENCE_KILLS ?? 20);
const SPREAD_MS = Number(process.env.CRASH_SEQUENCE_SPREAD_MS ?? 90_000);
const ROOT = resolve(import.meta.dirname, '..');

export interface SequenceSummary {
  dialect: string;
  enrolments: number;
  steps: number;
  kills: number;
  killsBeforeAnyStep: number;
  rows: number;
  duplicates: number;
  missing: number;
  notDone: number;
  failedJobs: number;
  seconds: number;
  problems: string[];
}

function startWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'bench/sequence-worker.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function effectRows(ctx: AppContext): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from crash_step_effects`.execute(ctx.database.db);
  return Number(r.rows[0]?.n ?? 0);
}

async function notDone(ctx: AppContext): Promise<number> {
  const r = await ctx.database.db
    .selectFrom('sequence_enrolments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sequence', '=', CRASH_SEQUENCE)
    .where('state', '!=', 'done')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function runSequenceKills(dialect: 'sqlite' | 'postgres'): Promise<SequenceSummary> {
  const started = performance.now();
  const db = await freshDatabase(dialect);
  const ctx = await createContext(loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' }), { graph: false });
  ctx.sequences.define(crashSequence);
  const problems: string[] = [];
  let kills = 0;
  let killsBeforeAnyStep = 0;
  try {
    await createEffectsTable(ctx.database.db);
    for (let start = 0; start < ENROLMENTS; start += 100) {
      await ctx.database.transaction(async (tx) => {
        for (let i = start; i < Math.min(ENROLMENTS, start + 100); i++) {
          await ctx.sequences.enrol(tx, CRASH_SEQUENCE, `subject-${i}`, { context: { offsetMs: Math.round((i / ENROLMENTS) * SPREAD_MS) } });
        }
      });
    }
    const env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', WORKER_CONCURRENCY: '8', WORKER_POLL_MS: '50', WORKER_LEASE_SECONDS: '2' };
    for (let k = 0; k < KILLS && (await notDone(ctx)) > 0; k++) {
      const before = await effectRows(ctx);
      const child = startWorker(env);
      if (Math.random() < 0.2) {
        await Promise.race([sleep(rand(0, 2500)), exited(child)]);
      } else {
        // After this worker's first step, at a random moment.
        const deadline = Date.now() + 20_000;
        while ((await effectRows(ctx)) === before && Date.now() < deadline && child.exitCode === null) await sleep(5);
        await sleep(rand(0, 1000));
      }
      if ((await effectRows(ctx)) === before) killsBeforeAnyStep++;
      child.kill('SIGKILL');
      await exited(child);
      kills++;
      process.stderr.write(`\r[${dialect}] sequence kill ${kills}/${KILLS}: ${await effectRows(ctx)} step rows, ${await notDone(ctx)} enrolments not done   `);
    }
    const last = startWorker(env);
    const deadline = Date.now() + 180_000;
    while ((await notDone(ctx)) > 0 && Date.now() < deadline) await sleep(200);
    last.kill('SIGTERM');
    await exited(last);
    process.stderr.write('\n');

    const rows = await sql<{ enrolment_id: string; step: number; n: number }>`select enrolment_id, step, count(*) as n from crash_step_effects group by enrolment_id, step`.execute(ctx.database.db);
    const enrolments = await ctx.database.db.selectFrom('sequence_enrolments').select(['id', 'state']).where('sequence', '=', CRASH_SEQUENCE).execute();
    const seen = new Map(rows.rows.map((r) => [`${r.enrolment_id}:${Number(r.step)}`, Number(r.n)]));
    let duplicates = 0;
    let missing = 0;
    for (const e of enrolments) {
      for (let step = 0; step < CRASH_STEPS; step++) {
        const n = seen.get(`${e.id}:${step}`) ?? 0;
        if (n === 0) missing++;
        if (n > 1) {
          duplicates += n - 1;
          problems.push(`step ${step} of ${e.id} ran ${n} times`);
        }
      }
    }
    if (missing) problems.push(`${missing} steps never ran`);
    const undone = enrolments.filter((e) => e.state !== 'done').length;
    if (undone) problems.push(`${undone} enrolments not done`);
    const failed = await ctx.database.db.selectFrom('jobs').select('id').where('state', '=', 'failed').execute();
    if (failed.length) problems.push(`${failed.length} jobs failed`);
    return {
      dialect,
      enrolments: enrolments.length,
      steps: enrolments.length * CRASH_STEPS,
      kills,
      killsBeforeAnyStep,
      rows: [...seen.values()].reduce((a, b) => a + b, 0),
      duplicates,
      missing,
      notDone: undone,
      failedJobs: failed.length,
      seconds: (performance.now() - started) / 1000,
      problems,
    };
  } finally {
    await closeContext(ctx);
    await db.drop();
  }
}

export const SEQUENCE_HEADER = [
  '| database | enrolments | steps | kills | step rows | duplicates | missing | not done | failed jobs | time |',
  '|---|---|---|---|---|---|---|---|---|---|',
];

export function sequenceReport(s: SequenceSummary): string {
  return `| ${s.dialect} | ${s.enrolments} | ${s.steps} | ${s.kills} (${s.killsBeforeAnyStep} before a step of that run) | ${s.rows} | ${s.duplicates} | ${s.missing} | ${s.notDone} | ${s.failedJobs} | ${s.seconds.toFixed(1)} s |`;
}
