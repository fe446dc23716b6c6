/**
 * `npm run test:crash`: email delivery survives kill -9 (docs/jobs.md, "Crash test").
 *
 * 1,000 emails are enqueued up front (some to suppressed addresses, some to members who turned the
 * category off) on a fresh SQLite file database (and PostgreSQL too when RAPPORT_TEST_PG_URL is
 * set). A real `rapport worker` process (`node --import tsx src/cli/main.ts worker`) delivers them
 * to a local SMTP sink (smtp-server in this process, recording Message-IDs) and is killed with
 * SIGKILL at a random point 20 times, restarted each time; a last worker then finishes the queue.
 *
 * Checks: every deliverable email arrived at least once; nothing reached a suppressed address or an
 * unsubscribed member; every refused email is marked skipped. Duplicates are counted: they can only
 * come from a kill between the SMTP server's acceptance and the commit of `sent_at`, and each must
 * be a recorded second attempt (`send_attempts`).
 *
 * Then the scenario of issue 15 (crash-serve.ts): serve killed repeatedly next to a worker that is
 * never killed, with steady writes; there every email must arrive exactly once.
 * And the sequence runner's (crash-sequence.ts): a worker running 1,000 enrolments of a three-step
 * sequence killed 20 times; every step must run exactly once.
 * CRASH_SCENARIO=worker|serve|sequence runs one of them. Exit code 1 if a check fails.
 */
import { simpleParser } from 'mailparser';
import { loadConfig } from '../src/server/config.js';
import { closeContext, createContext, type AppContext } from '../src/server/context.js';
import { newId } from '../src/server/ids.js';
import * as members from '../src/server/modules/members/member.repository.js';
import { startSmtpSink } from '../test/_email.js';
import { freshDatabase } from '../test/_util.js';
import { exited, outstanding, rand, sleep, startRapport } from './crash-processes.js';
import { runSequenceKills, SEQUENCE_HEADER, sequenceReport, type SequenceSummary } from './crash-sequence.js';
import { runServeKills, SERVE_HEADER, serveReport, type ServeSummary } from './crash-serve.js';

const EMAILS = Number(process.env.CRASH_EMAILS ?? 1000);
const KILLS = Number(process.env.CRASH_KILLS ?? 20);
const MEMBERS = 50;
const SUPPRESSED_ADDRESSES = 3; // members 0..2: address on the suppression list (a bounce)
const UNSUBSCRIBED = 2; // members 3..4: turned `invitations` off

interface Summary {
  dialect: string;
  emails: number;
  deliverable: number;
  refused: number;
  kills: number;
  killsDuringStartup: number;
  deliveredAtLeastOnce: number;
  received: number;
  duplicates: number;
  duplicatedEmails: number;
  toSuppressed: number;
  skippedMarked: number;
  failedJobs: number;
  seconds: number;
  problems: string[];
}

async function seed(ctx: AppContext): Promise<{ suppressed: Set<string>; unsubscribed: Set<string> }> {
  const now = ctx.clock.now().toISOString();
  const ids: Array<{ id: string; email: string }> = [];
  for (let i = 0; i < MEMBERS; i++) {
    const id = newId();
    const email = `member${i}@crash.test`;
    await members.insert(ctx.database.db, {
      id, email, password_hash: 'x', role: 'member', full_name: `Member ${i}`, search_name: `member ${i}`, headline: '', current_title: '',
      current_company: '', industry: '', location: '', time_zone: 'UTC', about: '', skills: '[]', created_at: now, updated_at: now, deleted_at: null,
    });
    ids.push({ id, email });
  }
  const suppressed = new Set<string>();
  const unsubscribed = new Set<string>();
  for (const [i, m] of ids.entries()) {
    if (i < SUPPRESSED_ADDRESSES) {
      await ctx.mailer.preferences.suppress(m.email, 'bounce');
      suppressed.add(m.email);
    } else if (i < SUPPRESSED_ADDRESSES + UNSUBSCRIBED) {
      await ctx.mailer.preferences.update(m.id, { invitations: false });
      unsubscribed.add(m.email);
    }
  }
  for (let start = 0; start < EMAILS; start += 100) {
    await ctx.database.transaction(async (tx) => {
      for (let i = start; i < Math.min(EMAILS, start + 100); i++) {
        const m = ids[i % MEMBERS];
        if (!m) continue;
        await ctx.mailer.enqueue(tx, { to: m.email, memberId: m.id, category: 'invitations', subject: `Crash test email ${i}`, text: `Email number ${i}.`, html: `<p>Email number ${i}.</p>` });
      }
    });
  }
  return { suppressed, unsubscribed };
}

const startWorker = (env: Record<string, string>) => startRapport('worker', env);

async function run(dialect: 'sqlite' | 'postgres'): Promise<Summary> {
  const started = performance.now();
  const db = await freshDatabase(dialect);
  const received: Array<{ messageId: string; to: string[] }> = [];
  // A little latency per message, so that kills land inside SMTP conversations too.
  const sink = await startSmtpSink({
    onMessage: async (raw, to) => {
      await sleep(rand(1, 8));
      const mail = await simpleParser(raw);
      received.push({ messageId: mail.messageId ?? '', to });
    },
  });
  const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', PUBLIC_URL: 'https://rapport.test' });
  const ctx = await createContext(config);
  const problems: string[] = [];
  let kills = 0;
  let killsDuringStartup = 0;
  try {
    const { suppressed, unsubscribed } = await seed(ctx);
    const env = {
      DATABASE_URL: db.url,
      SMTP_URL: sink.url,
      PUBLIC_URL: 'https://rapport.test',
      LOG_LEVEL: 'silent',
      WORKER_CONCURRENCY: '8',
      WORKER_POLL_MS: '50',
      WORKER_LEASE_SECONDS: '2',
    };
    for (let k = 0; k < KILLS; k++) {
      const before = received.length;
      const child = startWorker(env);
      if (Math.random() < 0.2) {
        // Anywhere, startup included.
        await Promise.race([sleep(rand(0, 2500)), exited(child)]);
        if (received.length === before) killsDuringStartup++;
      } else {
        // Mid-delivery: after the first message of this run, at a random moment.
        const deadline = Date.now() + 20_000;
        while (received.length === before && Date.now() < deadline && child.exitCode === null) await sleep(5);
        await sleep(rand(0, 1000));
      }
      child.kill('SIGKILL');
      await exited(child);
      kills++;
      process.stderr.write(`\r[${dialect}] kill ${kills}/${KILLS}: ${received.length} received, ${await outstanding(ctx)} outstanding   `);
    }
    const last = startWorker(env);
    const deadline = Date.now() + 180_000;
    while ((await outstanding(ctx)) > 0 && Date.now() < deadline) await sleep(200);
    last.kill('SIGTERM');
    await exited(last);
    process.stderr.write('\n');

    const rows = await ctx.database.db.selectFrom('emails').selectAll().execute();
    const counts = new Map<string, number>();
    for (const r of received) counts.set(r.messageId, (counts.get(r.messageId) ?? 0) + 1);
    for (const r of rows) {
      const n = counts.get(r.message_id) ?? 0;
      if (n > Number(r.send_attempts)) problems.push(`${r.message_id} arrived ${n} times in ${r.send_attempts} recorded attempts`);
    }
    const refusedSet = new Set([...suppressed, ...unsubscribed]);
    let deliverable = 0;
    let delivered = 0;
    let skippedMarked = 0;
    for (const r of rows) {
      const n = counts.get(r.message_id) ?? 0;
      if (refusedSet.has(r.to_address)) {
        if (n > 0) problems.push(`${r.message_id} to refused ${r.to_address} was sent`);
        if (r.skipped_reason !== null && r.sent_at === null) skippedMarked++;
        else problems.push(`${r.message_id} to ${r.to_address} is not marked skipped`);
      } else {
        deliverable++;
        if (n > 0) delivered++;
        else problems.push(`${r.message_id} was never delivered`);
        if (r.sent_at === null) problems.push(`${r.message_id} has no sent_at`);
      }
    }
    const toSuppressed = received.filter((r) => r.to.some((a) => refusedSet.has(a))).length;
    if (toSuppressed > 0) problems.push(`${toSuppressed} messages reached suppressed or unsubscribed addresses`);
    const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
    const duplicatedEmails = [...counts.values()].filter((n) => n > 1).length;
    const failed = await ctx.database.db.selectFrom('jobs').select('id').where('state', '=', 'failed').execute();
    if (failed.length) problems.push(`${failed.length} jobs failed`);
    return {
      dialect,
      emails: rows.length,
      deliverable,
      refused: rows.length - deliverable,
      kills,
      killsDuringStartup,
      deliveredAtLeastOnce: delivered,
      received: received.length,
      duplicates,
      duplicatedEmails,
      toSuppressed,
      skippedMarked,
      failedJobs: failed.length,
      seconds: (performance.now() - started) / 1000,
      problems,
    };
  } finally {
    await closeContext(ctx);
    await sink.close();
    await db.drop();
  }
}

function report(s: Summary): string {
  return [
    `| ${s.dialect} | ${s.emails} (${s.deliverable} deliverable, ${s.refused} refused) | ${s.kills} (${s.killsDuringStartup} before any delivery) | ${s.deliveredAtLeastOnce}/${s.deliverable} | ${s.received} | ${s.duplicates} (${s.duplicatedEmails} emails) | ${s.toSuppressed} | ${s.skippedMarked}/${s.refused} | ${s.failedJobs} | ${s.seconds.toFixed(1)} s |`,
  ].join('\n');
}

const dialects: Array<'sqlite' | 'postgres'> = process.env.RAPPORT_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
const scenario = process.env.CRASH_SCENARIO ?? 'all';
const results: Summary[] = [];
const serveResults: ServeSummary[] = [];
const sequenceResults: SequenceSummary[] = [];
const runs = (name: string) => scenario === 'all' || scenario === name;
if (runs('worker')) for (const d of dialects) results.push(await run(d));
if (runs('serve')) for (const d of dialects) serveResults.push(await runServeKills(d));
if (runs('sequence')) for (const d of dialects) sequenceResults.push(await runSequenceKills(d));
const problems = [...results, ...serveResults, ...sequenceResults].flatMap((r) => r.problems.slice(0, 20).map((p) => `problem [${r.dialect}]: ${p}`));
const lines = [''];
if (results.length) {
  lines.push(
    `Crash test: ${EMAILS} emails, worker killed with SIGKILL ${KILLS} times (node ${process.version})`,
    '',
    '| database | emails | kills | deliverable delivered ≥ 1 | SMTP messages received | duplicates | to suppressed | refused marked skipped | failed jobs | time |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(report),
    '',
  );
}
if (serveResults.length) {
  lines.push(`Serve killed with SIGKILL next to a separate worker, steady writes (node ${process.version})`, '', ...SERVE_HEADER, ...serveResults.map(serveReport), '');
}
if (sequenceResults.length) {
  lines.push(`Sequence runner: worker killed with SIGKILL while a three-step sequence runs (node ${process.version})`, '', ...SEQUENCE_HEADER, ...sequenceResults.map(sequenceReport), '');
}
lines.push(...problems, problems.length === 0 ? 'PASS' : 'FAIL', '');
process.stdout.write(lines.join('\n'));
process.exit(problems.length === 0 ? 0 : 1);
