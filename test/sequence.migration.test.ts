/**
 * Migration 0013 enrols the invitations pending when it runs in the reminder sequence, so they still
 * get their reminders (and only those not given yet); then it goes back down.
 */
import { describe, expect, it } from 'vitest';
import { DAY_MS, ManualClock } from '../src/server/clock.js';
import { loadConfig } from '../src/server/config.js';
import { closeContext, createContext } from '../src/server/context.js';
import { Database } from '../src/server/db/database.js';
import { migrateTo, migrateToLatest } from '../src/server/db/migrate.js';
import { createWorker } from '../src/server/context.jobs.js';
import { pairKey } from '../src/server/modules/invitations/invitation.repository.js';
import { dialects, freshDatabase } from './_util.js';

describe.each(dialects)('migration 0013, sequences [%s]', (dialect) => {
  it('enrols the pending invitations in the reminder sequence; each gets the reminders it has not had, at their time', async () => {
    const tdb = await freshDatabase(dialect);
    const database = Database.open(tdb.url);
    const t = Date.now();
    const at = (days: number) => new Date(t + days * DAY_MS).toISOString();
    try {
      await migrateTo(database, '0012-safety-evaluation');
      const { db } = database;
      const member = (id: string) => ({
        id, email: `${id}@m13.test`, password_hash: 'x', role: 'member' as const, full_name: `Member ${id}`, search_name: id, headline: '', current_title: '',
        current_company: '', industry: '', location: '', time_zone: 'UTC', about: '', skills: '[]', created_at: at(-30), updated_at: at(-30), deleted_at: null,
      });
      await db.insertInto('members').values(['r', 's1', 's2', 's3', 's4', 's5'].map(member)).execute();
      const inv = (id: string, sender: string, status: 'pending' | 'accepted', sentDays: number, expiresDays = sentDays + 30) => ({
        id, sender_id: sender, recipient_id: 'r', pair_key: pairKey(sender, 'r'), note: null, status, idk: 0 as const, spam: 0 as const,
        created_at: at(sentDays), expires_at: at(expiresDays), ignored_at: null, closed_at: status === 'accepted' ? at(sentDays + 1) : null,
      });
      await db.insertInto('invitations').values([
        inv('fresh', 's1', 'pending', -1), // nothing given yet: reminder 1 at day 2 from now, 2 at day 13
        inv('halfway', 's2', 'pending', -5), // reminder 1 given: reminder 2 at day 9
        inv('finished', 's3', 'pending', -20), // both given: nothing left
        inv('accepted', 's4', 'accepted', -1),
        inv('expired', 's5', 'pending', -40, -10),
      ]).execute();
      const given = (id: string, number: number, days: number) => ({ invitation_id: id, number, recipient_id: 'r', day: at(days).slice(0, 10), email_id: null, created_at: at(days) });
      await db.insertInto('invitation_reminders').values([given('halfway', 1, -2), given('finished', 1, -17), given('finished', 2, -6)]).execute();

      expect(await migrateToLatest(database)).toEqual(['0013-sequences', '0014-jobs-partial-indexes']);
      const enrolled = await db.selectFrom('sequence_enrolments').select(['subject_id', 'step', 'state']).orderBy('subject_id').execute();
      expect(enrolled).toEqual([
        { subject_id: 'fresh', step: 0, state: 'running' },
        { subject_id: 'halfway', step: 1, state: 'running' },
      ]);
      expect(await db.selectFrom('jobs').select('key').where('name', '=', 'sequence.step').where('state', '=', 'queued').orderBy('key').execute()).toHaveLength(2);

      const clock = new ManualClock(new Date(t + 60_000));
      const ctx = await createContext(loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', DATABASE_URL: tdb.url }), { clock, graph: false });
      try {
        const reminders = async () => (await db.selectFrom('invitation_reminders').select(['invitation_id', 'number']).where('created_at', '>', at(0)).orderBy('created_at').execute()).map((r) => `${r.invitation_id}:${r.number}`);
        const runAt = async (days: number) => {
          clock.set(new Date(t + days * DAY_MS + 60_000));
          await createWorker(ctx).runDue();
          return reminders();
        };
        expect(await runAt(0)).toEqual([]);
        expect(await runAt(1.9)).toEqual([]);
        expect(await runAt(2)).toEqual(['fresh:1']);
        expect(await runAt(9)).toEqual(['fresh:1', 'halfway:2']);
        expect(await runAt(13)).toEqual(['fresh:1', 'halfway:2', 'fresh:2']);
        expect(await runAt(40)).toHaveLength(3);
        const sent = await db.selectFrom('emails').select('id').where('category', '=', 'reminders').execute();
        expect(sent).toHaveLength(3);
      } finally {
        await closeContext(ctx);
      }
      const again = Database.open(tdb.url);
      try {
        await migrateTo(again, '0012-safety-evaluation');
        await expect(again.db.selectFrom('sequence_enrolments').selectAll().execute()).rejects.toThrow();
        expect(await again.db.selectFrom('jobs').select('id').where('name', '=', 'sequence.step').execute()).toEqual([]);
      } finally {
        await again.close();
      }
    } finally {
      await database.close();
      await tdb.drop();
    }
  });
});
