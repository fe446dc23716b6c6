import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import { paginate } from '../../db/pagination.js';
import type { ApiTokenTable, AuthAttemptTable, EmailChangeTable, PasswordResetTable, SessionTable } from './auth.table.js';

export type SessionRow = Selectable<SessionTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;

export async function insertSession(db: Executor, row: Insertable<SessionTable>): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** A live session by its token hash (its member is read through members/index.ts). */
export function liveSession(db: Executor, tokenHash: string, now: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'member_id', 'csrf_token', 'expires_at', 'last_seen_at'])
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOf(db: Executor, memberId: string): Promise<void> {
  await db.deleteFrom('sessions').where('member_id', '=', memberId).execute();
}

/** The member's live sessions, newest first (a member has a handful: no pagination). */
export function liveSessionsOf(db: Executor, memberId: string, now: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'user_agent', 'ip', 'created_at', 'last_seen_at', 'expires_at'])
    .where('member_id', '=', memberId)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Deletes one session of this member; returns whether there was one. */
export async function deleteSessionOf(db: Executor, memberId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('sessions').where('id', '=', id).where('member_id', '=', memberId).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** Deletes every session of the member but `keepId`; returns the ids deleted. */
export async function deleteOtherSessions(db: Executor, memberId: string, keepId: string | undefined): Promise<string[]> {
  let q = db.deleteFrom('sessions').where('member_id', '=', memberId);
  if (keepId !== undefined) q = q.where('id', '<>', keepId);
  return (await q.returning('id').execute()).map((r) => r.id);
}

export async function touchSession(db: Executor, id: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function deleteTokensOf(db: Executor, memberId: string): Promise<void> {
  await db.deleteFrom('api_tokens').where('member_id', '=', memberId).execute();
}

/** Every unused password-reset and email-change link of the member stops working. */
export async function voidLinksOf(db: Executor, memberId: string, now: string, which: Array<'password_resets' | 'email_changes'>): Promise<void> {
  for (const table of which) {
    await db.updateTable(table).set({ used_at: now }).where('member_id', '=', memberId).where('used_at', 'is', null).execute();
  }
}

export async function insertPasswordReset(db: Executor, row: Selectable<PasswordResetTable>): Promise<void> {
  await db.insertInto('password_resets').values(row).execute();
}

/** Compare-and-set: uses the reset link only if it is unused and unexpired; returns whose it was. */
export function usePasswordReset(db: Executor, tokenHash: string, now: string) {
  return db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['member_id'])
    .executeTakeFirst();
}

export async function insertEmailChange(db: Executor, row: Selectable<EmailChangeTable>): Promise<void> {
  await db.insertInto('email_changes').values(row).execute();
}

export function emailChangeByToken(db: Executor, tokenHash: string) {
  return db.selectFrom('email_changes').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Compare-and-set: marks the change used only if it still is unused and unexpired. */
export async function useEmailChange(db: Executor, id: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('email_changes')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** The member's latest email change still waiting for its link, if any. */
export function pendingEmailChange(db: Executor, memberId: string, now: string) {
  return db
    .selectFrom('email_changes')
    .select(['new_email', 'created_at', 'expires_at'])
    .where('member_id', '=', memberId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** The member's API tokens, revoked ones too, for the data export (metadata only). */
export function tokensOf(db: Executor, memberId: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .where('member_id', '=', memberId)
    .orderBy('id', 'desc')
    .execute();
}

export async function insertToken(db: Executor, row: ApiTokenRow): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

/** A live (unrevoked) API token by its hash (its member is read through members/index.ts). */
export function liveToken(db: Executor, tokenHash: string) {
  return db.selectFrom('api_tokens').select(['id', 'member_id', 'last_used_at']).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
}

/** The member's live API tokens, newest first (ids are time-ordered UUIDv7). */
export function liveTokensOf(db: Executor, memberId: string, cursor: string | undefined, limit: number) {
  const query = db.selectFrom('api_tokens').selectAll().where('member_id', '=', memberId).where('revoked_at', 'is', null);
  return paginate(query, { key: null, id: 'id', order: 'desc', cursor, limit, keyOf: (r) => ({ key: '', id: r.id }) });
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

/** Attempts that left the window no longer count: keep the table small. */
export async function forgetAttemptsBefore(db: Executor, kind: AuthAttemptTable['kind'], keyHash: string, before: string): Promise<void> {
  await db.deleteFrom('auth_attempts').where('kind', '=', kind).where('key_hash', '=', keyHash).where('at', '<=', before).execute();
}

export async function clearAttempts(db: Executor, kind: AuthAttemptTable['kind'], keyHash: string): Promise<void> {
  await db.deleteFrom('auth_attempts').where('kind', '=', kind).where('key_hash', '=', keyHash).execute();
}
