/**
 * Races on the sequence runner, both dialects, each side on its own connection (pool): two
 * enrolments of one (sequence, subject) leave exactly one active enrolment and one step job; a stop
 * event racing the step that it stops leaves either the step done and the enrolment stopped, or
 * the enrolment stopped without the step: never the step after the stop.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../src/server/clock.js';
import { Database } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { JobQueue } from '../src/server/jobs/queue.js';
import { SequenceRunner, type SequenceDefinition } from '../src/server/jobs/sequence.js';
import { dialects, freshDatabase, type TestDb } from './_util.js';

const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// On SQLite the loser of each race waits out the winner's write lock (busy timeout, then a retry): fewer rounds.
const rounds = (dialect: string, n: number) => (dialect === 'sqlite' ? Math.ceil(n / 3) : n);

describe.each(dialects)('sequence races [%s]', (dialect) => {
  let tdb: TestDb;
  let a: Database;
  let b: Database;
  const clock = new ManualClock('2026-05-01T00:00:00.000Z');
  let runnerA: SequenceRunner;
  let runnerB: SequenceRunner;
  const def: SequenceDefinition<object> = {
    name: 'race',
    context: z.object({}),
    steps: [0, 1].map((step) => ({
      due: (e) => new Date(e.enrolledAt.getTime() + (step + 1) * HOUR),
      run: async (tx, e) => {
        await sql`insert into race_effects values (${e.id}, ${step})`.execute(tx.db);
        await sleep(5); // hold the step open, so that the event meets it
        return { kind: 'next' };
      },
    })),
  };
  beforeAll(async () => {
    tdb = await freshDatabase(dialect);
    a = Database.open(tdb.url);
    await migrateToLatest(a);
    await sql`create table race_effects (enrolment_id text not null, step integer not null)`.execute(a.db);
    b = Database.open(tdb.url);
    runnerA = new SequenceRunner(a, clock, new JobQueue(a, clock));
    runnerB = new SequenceRunner(b, clock, new JobQueue(b, clock));
    runnerA.define(def);
    runnerB.define(def);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await tdb.drop();
  });

  it('leaves one active enrolment and one step job of two enrolments raced for the same subject', async () => {
    for (let i = 0; i < rounds(dialect, 25); i++) {
      const subject = `subject-${i}`;
      const enrol = (database: Database, runner: SequenceRunner) =>
        database.transaction(async (tx) => {
          const id = await runner.enrol(tx, 'race', subject, { context: {} });
          await sleep(i % 5); // overlap the two transactions by varying amounts
          return id;
        });
      const ids = await Promise.all([enrol(a, runnerA), enrol(b, runnerB)]);
      expect(ids.filter((id) => id !== undefined)).toHaveLength(1);
      const rows = await a.db.selectFrom('sequence_enrolments').select(['id', 'state']).where('subject_id', '=', subject).execute();
      expect(rows).toEqual([{ id: ids.find((id) => id !== undefined), state: 'running' }]);
      const jobs = await a.db.selectFrom('jobs').select('id').where('key', 'like', `sequence:${rows[0]?.id}:%`).execute();
      expect(jobs).toHaveLength(1);
    }
  });

  it('never runs a step after the stop event that raced it commits', async () => {
    const outcomes = new Set<string>();
    for (let i = 0; i < rounds(dialect, 20); i++) {
      const subject = `stopped-${i}`;
      const id = await a.transaction((tx) => runnerA.enrol(tx, 'race', subject, { context: {} }));
      clock.advance(HOUR);
      await Promise.all([
        a.transaction((tx) => runnerA.runStep(tx, { enrolmentId: id as string, step: 0 })),
        sleep(i % 4).then(() => b.transaction((tx) => runnerB.stop(tx, 'race', subject, 'event'))),
      ]);
      const row = await a.db.selectFrom('sequence_enrolments').select(['state', 'step']).where('id', '=', id as string).executeTakeFirstOrThrow();
      const effects = await sql<{ step: number }>`select step from race_effects where enrolment_id = ${id}`.execute(a.db);
      expect(row.state).toBe('stopped');
      // Either the step ran first (its effect, and the advance to step 1), or the stop did (neither).
      expect([`${effects.rows.length}:${row.step}`]).toSatisfy(([s]: string[]) => s === '1:1' || s === '0:0');
      outcomes.add(`${effects.rows.length}:${row.step}`);
      // A late delivery of step 0 or 1 after the stop changes nothing.
      clock.advance(2 * HOUR);
      expect(await a.transaction((tx) => runnerA.runStep(tx, { enrolmentId: id as string, step: row.step }))).toBe('stale');
    }
    expect(outcomes.size).toBeGreaterThan(0);
  });
});
