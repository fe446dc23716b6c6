/**
 * The invitation model's reads: the database read directly (invariants that hold whatever the model
 * says, and the rows the model expects), and everything a member can read over HTTP compared with the
 * model. Part of the model in test/_model.ts.
 */
import { isDeepStrictEqual } from 'node:util';
import type { TestApp } from './_util.js';
import type { SentFilter } from './_model-commands.js';
import { bodyOf, isRecord, normaliseUndefined, request } from './_model-judge.js';
import {
  byNewest,
  eventsSeenBy,
  expiredByTime,
  expirePair,
  iso,
  isoOrNull,
  isOpen,
  receivedView,
  relationshipOf,
  sentStatus,
  sentView,
  type Member,
  type MState,
} from './_model-state.js';

// ---------------------------------------------------------------------------------------------
// The database, read directly: invariants that hold whatever the model says, and the full state

export interface DbSnapshot {
  invitations: Array<Record<string, unknown>>;
  events: Record<string, Array<{ action: string; actor_id: string | null; at: string }>>;
  /** Event ids per invitation, in the same order as `events`: the log's global order, for invariants. */
  eventIds: Record<string, string[]>;
  connections: Array<Record<string, unknown>>;
  bars: Array<Record<string, unknown>>;
  spamReports: Array<Record<string, unknown>>;
  conversations: Array<Record<string, unknown>>;
}

const byJson = (a: unknown, b: unknown) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

export async function readDatabase(t: TestApp, crew: Member[]): Promise<DbSnapshot> {
  const db = t.ctx.database.db;
  const ids = crew.map((m) => m.id);
  const [invitations, events, connections, bars, spamReports, conversations] = await Promise.all([
    db.selectFrom('invitations').selectAll().where('sender_id', 'in', ids).orderBy('id').execute(),
    db
      .selectFrom('invitation_events as e')
      .innerJoin('invitations as i', 'i.id', 'e.invitation_id')
      .select(['e.id', 'e.invitation_id', 'e.action', 'e.actor_id', 'e.at'])
      .where('i.sender_id', 'in', ids)
      .orderBy('e.id')
      .execute(),
    db.selectFrom('connections').selectAll().where('member_id', 'in', ids).execute(),
    db.selectFrom('pair_bars').selectAll().where('recipient_id', 'in', ids).execute(),
    db.selectFrom('spam_reports').select(['invitation_id', 'reporter_id', 'sender_id', 'status', 'created_at']).where('reporter_id', 'in', ids).execute(),
    db.selectFrom('conversations').select(['id', 'pair_key', 'invitation_id']).where('member_a', 'in', ids).execute(),
  ]);
  const log: DbSnapshot['events'] = {};
  const eventIds: DbSnapshot['eventIds'] = {};
  for (const e of events) {
    (log[e.invitation_id] ??= []).push({ action: e.action, actor_id: e.actor_id, at: e.at });
    (eventIds[e.invitation_id] ??= []).push(e.id);
  }
  return {
    invitations: invitations.map((r) => ({ ...r, idk: Number(r.idk), spam: Number(r.spam) })),
    events: log,
    eventIds,
    connections: connections.sort(byJson),
    bars: bars.sort(byJson),
    spamReports: spamReports.sort(byJson),
    conversations: conversations.sort(byJson),
  };
}

/** The rules of PRODUCT.md §2 that must hold in storage after every command, model or no model. */
export function invariantViolations(db: DbSnapshot): string[] {
  const problems: string[] = [];
  const open = new Map<string, number>();
  for (const i of db.invitations) {
    if (i.status === 'pending' || i.status === 'ignored') open.set(String(i.pair_key), (open.get(String(i.pair_key)) ?? 0) + 1);
  }
  for (const [pair, count] of open) if (count > 1) problems.push(`${count} open invitations for pair ${pair}`);
  const edges = new Set(db.connections.map((c) => `${String(c.member_id)}>${String(c.other_id)}`));
  for (const c of db.connections) {
    if (!edges.has(`${String(c.other_id)}>${String(c.member_id)}`)) problems.push(`connection ${String(c.member_id)}→${String(c.other_id)} has no reverse row`);
  }
  for (const i of db.invitations) {
    const events = db.events[String(i.id)] ?? [];
    const closedAt = events.findIndex((e) => e.action === 'withdrawn' || e.action === 'expired');
    if (closedAt >= 0 && events.slice(closedAt).some((e) => e.action === 'accepted')) problems.push(`invitation ${String(i.id)} accepted after it was withdrawn or expired`);
    if (events.some((e) => e.action === 'accepted' && e.at >= String(i.expires_at))) problems.push(`invitation ${String(i.id)} accepted at or after its expiry`);
    // The IDK bar: an invitation sent after its recipient said "I don't know" about its sender starts in Archived.
    const sentId = eventIdOf(db, String(i.id), ['sent']);
    const barredBefore = db.bars.some((b) => {
      const barredId = eventIdOf(db, String(b.invitation_id), ['idk', 'spam_reported']);
      return b.recipient_id === i.recipient_id && b.sender_id === i.sender_id && barredId !== undefined && sentId !== undefined && barredId < sentId;
    });
    // …unless its recipient has since moved it back to the inbox themselves.
    const restored = (db.events[String(i.id)] ?? []).some((e) => e.action === 'restored');
    if (barredBefore && !restored && i.ignored_at !== i.created_at) problems.push(`invitation ${String(i.id)} from a barred sender was not filed straight into Archived`);
  }
  return problems;
}

function eventIdOf(db: DbSnapshot, invitationId: string, actions: string[]): string | undefined {
  const k = (db.events[invitationId] ?? []).findIndex((e) => actions.includes(e.action));
  return k < 0 ? undefined : db.eventIds[invitationId]?.[k];
}

/** What the database must hold in state `s`, in the shape readDatabase returns (less event ids). */
export function expectedDatabase(s: MState, crew: Member[]): Omit<DbSnapshot, 'eventIds'> {
  const id = (i: number) => crew[i]?.id ?? `(member ${i})`;
  const pairKey = (a: number, b: number) => (id(a) < id(b) ? `${id(a)}:${id(b)}` : `${id(b)}:${id(a)}`);
  const events: DbSnapshot['events'] = {};
  for (const i of s.invitations) events[i.id] = i.events.map((e) => ({ action: e.action, actor_id: e.actor === null ? null : id(e.actor), at: iso(e.at) }));
  return {
    invitations: s.invitations
      .map((i) => ({
        id: i.id,
        sender_id: id(i.from),
        recipient_id: id(i.to),
        pair_key: pairKey(i.from, i.to),
        note: i.note,
        status: i.status,
        idk: i.idk ? 1 : 0,
        spam: i.spam ? 1 : 0,
        created_at: iso(i.createdAt),
        expires_at: iso(i.expiresAt),
        ignored_at: isoOrNull(i.ignoredAt),
        closed_at: isoOrNull(i.closedAt),
        beyond_network: i.beyondNetwork ? 1 : 0,
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    events,
    connections: Object.entries(s.connections)
      .flatMap(([pair, c]) => {
        const [a, b] = pair.split(':').map(Number) as [number, number];
        return [
          { member_id: id(a), other_id: id(b), invitation_id: c.invitationId, created_at: iso(c.at) },
          { member_id: id(b), other_id: id(a), invitation_id: c.invitationId, created_at: iso(c.at) },
        ];
      })
      .sort(byJson),
    bars: Object.entries(s.bars)
      .map(([key, b]) => {
        const [recipient, sender] = key.split('>').map(Number) as [number, number];
        return { recipient_id: id(recipient), sender_id: id(sender), invitation_id: b.invitationId, created_at: iso(b.at) };
      })
      .sort(byJson),
    spamReports: Object.entries(s.spamReports)
      .map(([invitationId, r]) => ({ invitation_id: invitationId, reporter_id: id(r.reporter), sender_id: id(r.sender), status: 'open', created_at: iso(r.at) }))
      .sort(byJson),
    conversations: Object.entries(s.conversations)
      .map(([pair, c]) => {
        const [a, b] = pair.split(':').map(Number) as [number, number];
        return { id: c.id, pair_key: pairKey(a, b), invitation_id: c.invitationId };
      })
      .sort(byJson),
  };
}

// ---------------------------------------------------------------------------------------------
// Reads over HTTP compared with the model

interface Mismatch {
  what: string;
  actual: unknown;
  expected: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Everything `actor` can read about invitations, connections and relationships, against the model. */
export async function look(t: TestApp, crew: Member[], before: MState, actor: number, filter: SentFilter): Promise<{ mismatches: Mismatch[]; next: MState }> {
  const s = structuredClone(before);
  const m = crew[actor];
  const out: Mismatch[] = [];
  const compare = (what: string, actual: unknown, expected: unknown) => {
    if (!isDeepStrictEqual(actual, normaliseUndefined(expected))) out.push({ what, actual, expected });
  };
  const mine = s.invitations.filter((i) => i.from === actor);
  const sent = await request(t, m, 'GET', `/api/invitations/sent?limit=100${filter ? `&status=${filter}` : ''}`);
  compare(`sent ${filter ?? 'all'}`, bodyOf(sent), {
    items: mine.filter((i) => !filter || sentStatus(i, s.now) === filter).sort(byNewest).map((i) => sentView(s, i, crew)),
    nextCursor: null,
    counts: { pending: mine.filter((i) => sentStatus(i, s.now) === 'pending').length },
  });
  const live = s.invitations.filter((i) => i.to === actor && isOpen(i.status) && i.expiresAt > s.now);
  const counts = { inbox: live.filter((i) => i.status === 'pending').length, archived: live.filter((i) => i.status === 'ignored').length };
  for (const folder of ['inbox', 'archived'] as const) {
    const res = await request(t, m, 'GET', `/api/invitations/received?folder=${folder}&limit=100`);
    const status = folder === 'inbox' ? 'pending' : 'ignored';
    compare(`received ${folder}`, bodyOf(res), { items: live.filter((i) => i.status === status).sort(byNewest).map((i) => receivedView(s, i, crew)), nextCursor: null, counts });
  }
  for (const [other, o] of crew.entries()) {
    const res = await request(t, m, 'GET', `/api/members/${o.id}`);
    const body = bodyOf(res);
    compare(`relationship with ${other}`, isRecord(body) ? body.relationship : body, relationshipOf(s, actor, other));
  }
  const involved = s.invitations.filter((i) => i.from === actor || i.to === actor).sort(byNewest).slice(0, 2);
  for (const i of involved) {
    const one = await request(t, m, 'GET', `/api/invitations/${i.id}`);
    compare(`invitation ${i.id}`, bodyOf(one), i.from === actor ? sentView(s, i, crew) : receivedView(s, i, crew));
    const events = bodyOf(await request(t, m, 'GET', `/api/invitations/${i.id}/events?limit=100`));
    // Reading the log persists an expiry that is due, with its event.
    if (expiredByTime(i, s.now)) expirePair(s, i.from, i.to);
    const items = isRecord(events) && Array.isArray(events.items) ? events.items.filter(isRecord) : [];
    const ids = items.map((e) => String(e.id));
    compare(`event ids of ${i.id} are distinct, ordered uuids`, ids.every((x, k) => UUID.test(x) && (k === 0 || x > (ids[k - 1] ?? ''))), true);
    compare(`events of ${i.id}`, { items: items.map(({ id: _id, ...rest }) => rest), nextCursor: isRecord(events) ? events.nextCursor : undefined }, { items: eventsSeenBy(i, actor), nextCursor: null });
  }
  return { mismatches: out, next: s };
}
