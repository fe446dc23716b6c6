/** Migration 0011: the digest cursors become a queue of what they had not covered; emails count SMTP attempts. */
import { describe, expect, it } from 'vitest';
import { Database } from '../src/server/db/database.js';
import { migrateTo, migrateToLatest } from '../src/server/db/migrate.js';
import { EMPTY_PROFILE } from '../src/server/modules/members/index.js';
import { dialects, freshDatabase } from './_util.js';

const id = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const member = (n: number) => ({
  id: id(n),
  email: `m${n}@example.com`,
  password_hash: 'x',
  role: 'member' as const,
  full_name: `M ${n}`,
  search_name: `m ${n}`,
  // The profile columns of migration 0001, the same defaults as every member row (members/).
  ...EMPTY_PROFILE,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
});
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const HOUR = 3_600_000;

describe.each(dialects)('migration 0011, message digest queue [%s]', (dialect) => {
  it('queues exactly the messages no digest cursor had covered, and goes back down', async () => {
    const tdb = await freshDatabase(dialect);
    const database = Database.open(tdb.url);
    const db = database.db;
    try {
      await migrateTo(database, '0010-account-settings');
      await db.insertInto('members').values([member(1), member(2), member(3)]).execute();
      // Member 3 writes to member 1 (conversation c1) and to member 2 (c2).
      for (const [c, other] of [['c1', 1], ['c2', 2]] as const) {
        await db.insertInto('conversations').values({ id: c, pair_key: c, member_a: id(3), member_b: id(other), invitation_id: null, created_at: ago(72 * HOUR), last_message_at: ago(HOUR), last_message_id: null }).execute();
        await db.insertInto('conversation_members').values([
          { conversation_id: c, member_id: id(3), other_id: id(other), last_message_at: null, unread_count: 0, last_read_at: null },
          { conversation_id: c, member_id: id(other), other_id: id(3), last_message_at: null, unread_count: 0, last_read_at: null },
        ]).execute();
      }
      const message = (n: number, c: string, sender: number, at: string) => ({ id: `msg-${n}`, conversation_id: c, sender_id: id(sender), body: `message ${n}`, created_at: at });
      const cursorAt = ago(2 * HOUR);
      await db.insertInto('messages').values([
        message(1, 'c1', 3, ago(3 * HOUR)), // before member 1's cursor
        message(2, 'c1', 3, cursorAt), // the cursor's own message
        message(3, 'c1', 3, ago(HOUR)), // after the cursor: not digested yet
        message(4, 'c2', 3, ago(48 * HOUR)), // member 2 has no cursor: older than the first digest's day
        message(5, 'c2', 3, ago(HOUR)), // member 2, within the day
        message(7, 'c1', 1, ago(HOUR / 2)), // member 1 writes: for member 3, who has no cursor
      ]).execute();
      await db.insertInto('message_digests' as never).values({ member_id: id(1), last_message_at: cursorAt, last_message_id: 'msg-2', updated_at: cursorAt } as never).execute();

      expect(await migrateToLatest(database)).toContain('0011-mail-attempts-digest-queue');
      const queued = await db.selectFrom('message_digest_queue').select(['member_id', 'message_id']).orderBy('member_id').orderBy('message_id').execute();
      expect(queued).toEqual([
        { member_id: id(1), message_id: 'msg-3' },
        { member_id: id(2), message_id: 'msg-5' },
        { member_id: id(3), message_id: 'msg-7' },
      ]);

      await migrateTo(database, '0010-account-settings');
      expect(await db.selectFrom('message_digests' as never).selectAll().execute()).toEqual([]);
      await expect(db.selectFrom('message_digest_queue').selectAll().execute()).rejects.toThrow();
      expect(await migrateToLatest(database)).toEqual(['0011-mail-attempts-digest-queue', '0012-safety-evaluation', '0013-sequences', '0014-jobs-partial-indexes']);
    } finally {
      await database.close();
      await tdb.drop();
    }
  });
});
