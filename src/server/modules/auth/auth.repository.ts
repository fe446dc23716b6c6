import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ApiTokenTable, AuthAttemptTable, SessionTable } from './auth.table.js';

export type SessionRow = Selectable<SessionTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;

export async function insertSession(db: Executor, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** A live session and the member it belongs to, in one query. */
export function sessionWithMember(db: Executor, tokenHash: string, now: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('members as m', 'm.id', 's.member_id')
    .select(['s.id', 's.member_id', 's.csrf_token', 's.expires_at', 'm.role', 'm.email', 'm.full_name'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOf(db: Executor, memberId: string): Promise<void> {
  await db.deleteFrom('sessions').where('member_id', '=', memberId).execute();
}

export async function insertToken(db: Executor, row: ApiTokenRow): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

/** A live (unrevoked) API token and the member it belongs to, in one query. */
export function liveTokenWithMember(db: Executor, tokenHash: string) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('members as m', 'm.id', 't.member_id')
    .select(['t.id', 't.member_id', 't.last_used_at', 'm.role', 'm.email', 'm.full_name'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
}

export function liveTokensOf(db: Executor, memberId: string, afterId: string | undefined, limit: number) {
  let q = db.selectFrom('api_tokens').selectAll().where('member_id', '=', memberId).where('revoked_at', 'is', null);
  if (afterId) q = q.where('id', '<', afterId);
  return q.orderBy('id', 'desc').limit(limit + 1).execute();
}

/** Compare-and-set: only a live token of this member is revoked; returns whether one was. */
export async function revokeToken(db: Executor, memberId: string, id: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('member_id', '=', memberId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function touchToken(db: Executor, id: string, now: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

export async function recordAttempt(db: Executor, row: Selectable<AuthAttemptTable>): Promise<void> {
  await db.insertInto('auth_attempts').values(row).execute();
}

export function attemptsSince(db: Executor, kind: AuthAttemptTable['kind'], keyHash: string, since: string) {
  return db
    .selectFrom('auth_attempts')
    .select(['at'])
    .where('kind', '=', kind)
    .where('key_hash', '=', keyHash)
    .where('at', '>', since)
    .orderBy('at')
    .execute();
}

export async function clearAttempts(db: Executor, kind: AuthAttemptTable['kind'], keyHash: string): Promise<void> {
  await db.deleteFrom('auth_attempts').where('kind', '=', kind).where('key_hash', '=', keyHash).execute();
}
