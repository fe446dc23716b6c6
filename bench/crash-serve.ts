/**
 * The scenario of issue 15, defect 8, part of `npm run test:crash` (docs/jobs.md, "Crash test"):
 * `rapport serve` (WORKER_IN_SERVE=false) is killed with SIGKILL SERVE_KILLS times (25), each at a
 * random moment 0.5–4 s after it was started (its boot included), while one separate `rapport
 * worker` keeps delivering to a local SMTP sink and this process writes steadily: one email
 * enqueued every WRITE_EVERY_MS (10 ms) through `transaction()`, each write timed.
 *
 * Nothing here kills the worker, so every email must arrive exactly once: counted by Message-ID.
 * Also counted: the worker's "database is locked" job failures (its log), and the longest wait of
 * the steady writer (how long a starting serve kept others from writing).
 */
import { loadConfig } from '../src/server/config.js';
import { closeContext, createContext, type AppContext } from '../src/server/context.js';
import { newId } from '../src/server/ids.js';
import * as members from '../src/server/modules/members/member.repository.js';
import { startSmtpSink } from '../test/_email.js';
import { freshDatabase } from '../test/_util.js';
import { exited, outstanding, rand, sleep, startRapport } from './crash-processes.js';

const KILLS = Number(process.env.CRASH_SERVE_KILLS ?? 25);
const WRITE_EVERY_MS = Number(process.env.CRASH_WRITE_EVERY_MS ?? 10);
const MEMBERS = 20;

export interface ServeSummary {
  dialect: string;
  emails: number;
  kills: number;
  received: number;
  duplicates: number;
  duplicatedEmails: number;
  lost: number;
  busyFailures: number;
  retriedAttempts: number;
  longestWriteMs: number;
  writeErrors: number;
  seconds: number;
  problems: string[];
}

async function addMembers(ctx: AppContext): Promise<Array<{ id: string; email: string }>> {
  const now = ctx.clock.now().toISOString();
  const out: Array<{ id: string; email: string }> = [];
  for (let i = 0; i < MEMBERS; i++) {
    const row = { id: newId(), email: `serve${i}@crash.test` };
    await members.insert(ctx.database.db, {
      ...row, password_hash: 'x', role: 'member', full_name: `Serve ${i}`, search_name: `serve ${i}`, headline: '', current_title: '',
      current_company: '', industry: '', location: '', time_zone: 'UTC', about: '', skills: '[]', created_at: now, updated_at: now, deleted_at: null,
    });
    out.push(row);
  }
  return out;
}

export async function runServeKills(dialect: 'sqlite' | 'postgres'): Promise<ServeSummary> {
  const started = performance.now();
  const db = await freshDatabase(dialect);
  const received: string[] = [];
  const sink = await startSmtpSink({
    onMessage: (raw) => {
      received.push(/^Message-ID:\s*(\S+)/im.exec(raw.toString())?.[1] ?? '');
    },
  });
  const ctx = await createContext(loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', PUBLIC_URL: 'https://rapport.test' }), { graph: false });
  const env = { DATABASE_URL: db.url, SMTP_URL: sink.url, PUBLIC_URL: 'https://rapport.test', WORKER_IN_SERVE: 'false', WORKER_CONCURRENCY: '8', WORKER_POLL_MS: '50' };
  const problems: string[] = [];
  let busyFailures = 0;
  let writeErrors = 0;
  let longestWriteMs = 0;
  let kills = 0;
  try {
    const targets = await addMembers(ctx);
    const worker = startRapport('worker', { ...env, LOG_LEVEL: 'warn' }, (line) => {
      if (line.includes('database is locked')) busyFailures++;
    });
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const m = targets[i % MEMBERS];
        if (!m) continue;
        const t0 = performance.now();
        try {
          await ctx.database.transaction((tx) =>
            ctx.mailer.enqueue(tx, { to: m.email, memberId: m.id, category: 'invitations', subject: `Serve crash email ${i}`, text: `Email ${i}.`, html: `<p>Email ${i}.</p>` }),
          );
        } catch {
          writeErrors++;
        }
        longestWriteMs = Math.max(longestWriteMs, performance.now() - t0);
        await sleep(WRITE_EVERY_MS);
      }
    })();
    for (let k = 0; k < KILLS; k++) {
      const serve = startRapport('serve', { ...env, PORT: String(4500 + (k % 50)), LOG_LEVEL: 'silent' });
      await Promise.race([sleep(rand(500, 4000)), exited(serve)]);
      serve.kill('SIGKILL');
      await exited(serve);
      kills++;
      process.stderr.write(`\r[${dialect}] serve kill ${kills}/${KILLS}: ${received.length} received, ${await outstanding(ctx)} outstanding   `);
    }
    writing = false;
    await writer;
    const deadline = Date.now() + 120_000;
    while ((await outstanding(ctx)) > 0 && Date.now() < deadline) await sleep(200);
    worker.kill('SIGTERM');
    await exited(worker);
    process.stderr.write('\n');

    const rows = await ctx.database.db.selectFrom('emails').selectAll().execute();
    const counts = new Map<string, number>();
    for (const id of received) counts.set(id, (counts.get(id) ?? 0) + 1);
    const lost = rows.filter((r) => !counts.has(r.message_id)).length;
    const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
    if (lost > 0) problems.push(`${lost} emails were never delivered`);
    if (duplicates > 0) problems.push(`${duplicates} duplicate deliveries without any crash of the worker`);
    if (writeErrors > 0) problems.push(`${writeErrors} steady writes failed`);
    const unsent = rows.filter((r) => r.sent_at === null).length;
    if (unsent > 0) problems.push(`${unsent} emails have no sent_at`);
    return {
      dialect,
      emails: rows.length,
      kills,
      received: received.length,
      duplicates,
      duplicatedEmails: [...counts.values()].filter((n) => n > 1).length,
      lost,
      busyFailures,
      retriedAttempts: rows.filter((r) => Number(r.send_attempts) > 1).length,
      longestWriteMs,
      writeErrors,
      seconds: (performance.now() - started) / 1000,
      problems,
    };
  } finally {
    await closeContext(ctx);
    await sink.close();
    await db.drop();
  }
}

export function serveReport(s: ServeSummary): string {
  return `| ${s.dialect} | ${s.emails} | ${s.kills} | ${s.received} | ${s.duplicates} (${s.duplicatedEmails} emails) | ${s.lost} | ${s.busyFailures} | ${s.retriedAttempts} | ${s.longestWriteMs.toFixed(0)} ms | ${s.writeErrors} | ${s.seconds.toFixed(1)} s |`;
}

export const SERVE_HEADER = [
  '| database | emails | serve kills | SMTP messages received | duplicates by Message-ID | lost | worker "database is locked" failures | emails sent in > 1 attempt | longest steady write | failed steady writes | time |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
];
