/**
 * The reads the safety ladder asks for (docs/safety.md): aggregates over this module's
 * `invitations` and `invitation_events` rows, per sender or per evaluation window. safety/ never
 * queries these tables itself; context.ts hands these functions to `SafetyService` (safety/
 * declares their shape, `InvitationReads` in safety.sources.ts, because invitations/ already calls
 * safety/ and an import back would be a circle). Each takes the caller's executor first, so it runs
 * inside the evaluation's or the send's transaction, and each is one set-based query.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

/** An evaluation window, both ends included. */
export interface SignalWindow {
  from: string;
  to: string;
}

/** How many invitations the sender created after `since`. */
export async function countSentSince(db: Executor, senderId: string, since: string): Promise<number> {
  const row = await db.selectFrom('invitations').select((eb) => eb.fn.countAll<number>().as('n')).where('sender_id', '=', senderId).where('created_at', '>', since).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * An accepted invitation between the two, either way, proves they know each other: that
 * recipient's IDK (or spam report) no longer weighs against the sender (docs/safety.md).
 */
const notCancelled = sql<boolean>`not exists (select 1 from invitations a where a.pair_key = i.pair_key and a.status = 'accepted')`;

/** IDK answers and spam reports against a sender since `since`, not cancelled by an accept: distinct recipients, and the latest time. */
export async function idkSignals(db: Executor, senderId: string, since: string): Promise<{ recipients: number; last: string | null }> {
  const row = await db
    .selectFrom('invitation_events as e')
    .innerJoin('invitations as i', 'i.id', 'e.invitation_id')
    .select((eb) => [eb.fn.count<number>('i.recipient_id').distinct().as('recipients'), eb.fn.max('e.at').as('last')])
    .where('i.sender_id', '=', senderId)
    .where('e.action', 'in', ['idk', 'spam_reported'])
    .where('e.at', '>', since)
    .where(notCancelled)
    .executeTakeFirstOrThrow();
  return { recipients: Number(row.recipients), last: row.last };
}

/**
 * IDK answers and spam reports against the sender (not cancelled by an accept) stamped at `from`
 * or later, and at `through` or earlier when given: the invitations' part of what can escalate a level.
 */
export async function idkFrom(db: Executor, senderId: string, from: string, through?: string): Promise<number> {
  let idk = db
    .selectFrom('invitation_events as e')
    .innerJoin('invitations as i', 'i.id', 'e.invitation_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('i.sender_id', '=', senderId)
    .where('e.action', 'in', ['idk', 'spam_reported'])
    .where('e.at', '>=', from)
    .where(notCancelled);
  if (through !== undefined) idk = idk.where('e.at', '<=', through);
  return Number((await idk.executeTakeFirstOrThrow()).n);
}

/** Invitations the sender sent beyond its network since `since` and not accepted: how many, and the latest time. */
export async function beyondNetwork(db: Executor, senderId: string, since: string): Promise<{ count: number; last: string | null }> {
  const row = await db
    .selectFrom('invitations')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('last')])
    .where('sender_id', '=', senderId)
    .where('beyond_network', '=', 1)
    .where('created_at', '>', since)
    .where('status', '!=', 'accepted')
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), last: row.last };
}

/** Invitations beyond the network created in (since, before]: old enough to judge by their outcome. */
export async function beyondNetworkJudged(db: Executor, senderId: string, since: string, before: string): Promise<{ sent: number; accepted: number }> {
  const row = await db
    .selectFrom('invitations')
    .select((eb) => [eb.fn.countAll<number>().as('sent'), eb.fn.sum<number>(eb.case().when('status', '=', 'accepted').then(1).else(0).end()).as('accepted')])
    .where('sender_id', '=', senderId)
    .where('beyond_network', '=', 1)
    .where('created_at', '>', since)
    .where('created_at', '<=', before)
    .executeTakeFirstOrThrow();
  return { sent: Number(row.sent), accepted: Number(row.accepted ?? 0) };
}

/** The sender's latest `sample` invitations created in (since, before] (old enough to have been answered): how many, and how many accepted. */
export async function acceptanceSample(db: Executor, senderId: string, since: string, before: string, sample: number): Promise<{ sample: number; accepted: number }> {
  const rows = await db
    .selectFrom('invitations')
    .select('status')
    .where('sender_id', '=', senderId)
    .where('created_at', '>', since)
    .where('created_at', '<=', before)
    .orderBy('created_at', 'desc')
    .limit(sample)
    .execute();
  return { sample: rows.length, accepted: rows.filter((r) => r.status === 'accepted').length };
}

/** Invitations sent in the window, and how many are still open (pending or ignored alike), ignored and accepted. */
export async function sentAndOpen(db: Executor, senderId: string, since: string, now: string): Promise<{ sent: number; open: number; ignored: number; accepted: number }> {
  const row = await db
    .selectFrom('invitations')
    .select((eb) => [
      eb.fn.countAll<number>().as('sent'),
      eb.fn.sum<number>(eb.case().when(eb.and([eb('status', 'in', ['pending', 'ignored']), eb('expires_at', '>', now)])).then(1).else(0).end()).as('open'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'ignored').then(1).else(0).end()).as('ignored'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'accepted').then(1).else(0).end()).as('accepted'),
    ])
    .where('sender_id', '=', senderId)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return { sent: Number(row.sent), open: Number(row.open ?? 0), ignored: Number(row.ignored ?? 0), accepted: Number(row.accepted ?? 0) };
}

/** Senders of invitations created in [from, to]. */
export async function sendersOfInvitations(db: Executor, w: SignalWindow): Promise<string[]> {
  const rows = await db.selectFrom('invitations').select('sender_id').distinct().where('created_at', '>=', w.from).where('created_at', '<=', w.to).execute();
  return rows.map((r) => r.sender_id);
}

/** Senders whose invitations drew an IDK, a spam report or an accept in [from, to]. */
export async function sendersAnswered(db: Executor, w: SignalWindow): Promise<string[]> {
  const rows = await db
    .selectFrom('invitation_events as e')
    .innerJoin('invitations as i', 'i.id', 'e.invitation_id')
    .select('i.sender_id')
    .distinct()
    .where('e.action', 'in', ['idk', 'spam_reported', 'accepted'])
    .where('e.at', '>=', w.from)
    .where('e.at', '<=', w.to)
    .execute();
  return rows.map((r) => r.sender_id);
}
