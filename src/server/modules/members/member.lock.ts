/**
 * The one member-row lock. Per-member limits (weekly invitations, outstanding, connection cap, the
 * safety ladder) are check-then-write. On PostgreSQL (READ COMMITTED) two concurrent writers for
 * one member would both pass the check, so a writer locks the members' rows first, in id order so
 * lockers never deadlock. NO KEY UPDATE does not block foreign-key inserts that reference the
 * members. SQLite's BEGIN IMMEDIATE already serialises writers, so there it is a no-op.
 */
import type { Database, Executor } from '../../db/database.js';

export async function lockMembers(database: Pick<Database, 'dialect'>, db: Executor, ids: readonly string[]): Promise<void> {
  if (database.dialect !== 'postgres' || ids.length === 0) return;
  const sorted = [...new Set(ids)].sort();
  await db.selectFrom('members').select('id').where('id', 'in', sorted).orderBy('id').forNoKeyUpdate().execute();
}
