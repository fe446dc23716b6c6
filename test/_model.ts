/**
 * A model of the invitation lifecycle (PRODUCT.md §2) for property tests, and the harness that
 * replays command sequences against the real server over HTTP.
 *
 * The model is plain data (structuredClone-able): a race of two requests is checked against both
 * orders. It mirrors the service exactly, including when an expiry is persisted (lazily, in the
 * transaction of a successful write on the pair), so stored rows and the event log can be compared
 * row for row. Members are indices 0..n-1 into the run's crew; ids appear only at the HTTP edge.
 *
 * Sections: settings and crew · model state · views · predictions · HTTP execution · commands and
 * arbitraries · the database read directly (invariants) · reads compared with the model · the model
 * property · the sender-privacy property. The two properties live here so the default test files and
 * test/long share them.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { Message, NOTE_MAX, SendResult } from '../src/contracts/invitations.js';
import type { ErrorCode } from '../src/contracts/errors.js';
import type { Config } from '../src/server/config.js';
import { newId } from '../src/server/ids.js';
import * as membersRepo from '../src/server/modules/members/member.repository.js';
import { PASSWORD, type Session, type TestApp } from './_util.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const WEEK = 7 * DAY;
export const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------------------------------------
// Settings and crew

export interface Settings {
  noteMax: number;
  weeklyLimit: number;
  outstandingLimit: number;
  cooldownMs: number;
  expiryMs: number;
}

export function settingsOf(config: Config): Settings {
  return {
    noteMax: Math.min(NOTE_MAX, config.INVITE_NOTE_MAX),
    weeklyLimit: config.INVITE_WEEKLY_LIMIT,
    outstandingLimit: config.INVITE_OUTSTANDING_LIMIT,
    cooldownMs: config.INVITE_COOLDOWN_DAYS * DAY,
    expiryMs: config.INVITE_EXPIRY_DAYS * DAY,
  };
}

export interface Member extends Session {
  fullName: string;
  headline: string;
  location: string;
}

const NAMES = ['Ada Byron', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov'];
const CITIES = ['London', 'Arlington', 'Manchester', 'Austin', 'Boston'];
let passwordHash: Promise<string> | undefined;

/**
 * Fresh members for one run, inserted directly (one Argon2 hash per file, not per member) with an
 * API token each: bearer requests need no CSRF token. New ids mean new pairs, so runs share a
 * database without seeing each other.
 */
export async function createCrew(t: TestApp, n: number): Promise<Member[]> {
  passwordHash ??= t.ctx.passwords.hash(PASSWORD);
  const hash = await passwordHash;
  const now = t.clock.now().toISOString();
  const crew: Member[] = [];
  for (let i = 0; i < n; i++) {
    const id = newId();
    const fullName = NAMES[i % NAMES.length] ?? 'Member';
    const row = {
      id,
      email: `${id}@model.example.com`,
      password_hash: hash,
      role: 'member' as const,
      full_name: fullName,
      search_name: fullName.toLowerCase(),
      headline: `Engineer no. ${i}`,
      current_title: '',
      current_company: '',
      industry: '',
      location: CITIES[i % CITIES.length] ?? '',
      time_zone: 'UTC',
      about: '',
      skills: '[]',
      created_at: now,
      updated_at: now,
    };
    await membersRepo.insert(t.ctx.database.db, row);
    const { secret } = await t.ctx.auth.createToken(id, 'test');
    crew.push({ id, email: row.email, fullName, headline: row.headline, location: row.location, headers: { authorization: `Bearer ${secret}` } });
  }
  return crew;
}

/**
 * Durability is irrelevant to these tests and fsync dominates their run time: commit without
 * waiting for the disk. Semantics (isolation, constraints) are unchanged.
 */
export async function relaxDurability(t: TestApp): Promise<void> {
  if (t.ctx.database.dialect === 'sqlite') await sql`pragma synchronous = off`.execute(t.ctx.database.db);
}
/** For PostgreSQL the setting must be on every pooled connection: set it before the pool opens. */
export function relaxPostgresDurability(): void {
  process.env.PGOPTIONS = '-c synchronous_commit=off';
}

// ---------------------------------------------------------------------------------------------
// Model state

export type Stored = 'pending' | 'ignored' | 'accepted' | 'withdrawn' | 'expired';
const SHARED_ACTIONS = ['sent', 'accepted', 'withdrawn', 'expired'];

export interface MEvent {
  action: string;
  actor: number | null;
  at: number;
}

export interface MInvitation {
  id: string;
  from: number;
  to: number;
  note: string | null;
  createdAt: number;
  expiresAt: number;
  /** As stored: an open invitation past its expiry stays open here until the service persists it. */
  status: Stored;
  idk: boolean;
  spam: boolean;
  ignoredAt: number | null;
  closedAt: number | null;
  /** No tie at send time: beyond 2 degrees (the crew shares no employer, school or industry). */
  beyondNetwork: boolean;
  events: MEvent[];
}

export interface MState {
  now: number;
  invitations: MInvitation[];
  /** By pair (`lo:hi` of indices). */
  connections: Record<string, { invitationId: string; at: number }>;
  /** By `recipient>sender`: the recipient said "I don't know" about the sender. */
  bars: Record<string, { invitationId: string; at: number }>;
  spamReports: Record<string, { reporter: number; sender: number; at: number }>;
  /** By pair; the id is learned from the first reply. */
  conversations: Record<string, { id: string; invitationId: string }>;
}

export const emptyState = (now: number): MState => ({ now, invitations: [], connections: {}, bars: {}, spamReports: {}, conversations: {} });

export const pairOf = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
const barKey = (recipient: number, sender: number) => `${recipient}>${sender}`;
const isOpen = (s: Stored) => s === 'pending' || s === 'ignored';
const expiredByTime = (i: MInvitation, now: number) => isOpen(i.status) && i.expiresAt <= now;
/** What the sender is shown: never `ignored`. */
export const sentStatus = (i: MInvitation, now: number) => (expiredByTime(i, now) ? 'expired' : i.status === 'ignored' ? 'pending' : i.status);
const receivedStatus = (i: MInvitation, now: number) => (expiredByTime(i, now) ? 'expired' : i.status);
const byNewest = (a: MInvitation, b: MInvitation) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

function openIn(s: MState, a: number, b: number): MInvitation | undefined {
  const pair = pairOf(a, b);
  return s.invitations.find((i) => pairOf(i.from, i.to) === pair && isOpen(i.status));
}

/** The service persists expiry for the pair before any write on it (and keeps it only if the write commits). */
function expirePair(s: MState, a: number, b: number): void {
  const pair = pairOf(a, b);
  for (const i of s.invitations) {
    if (pairOf(i.from, i.to) === pair && isOpen(i.status) && i.expiresAt <= s.now) {
      i.status = 'expired';
      i.closedAt = i.expiresAt;
      i.events.push({ action: 'expired', actor: null, at: i.expiresAt });
    }
  }
}

function connect(s: MState, i: MInvitation, actor: number): void {
  i.status = 'accepted';
  i.closedAt = s.now;
  s.connections[pairOf(i.from, i.to)] = { invitationId: i.id, at: s.now };
  i.events.push({ action: 'accepted', actor, at: s.now });
}

function bar(s: MState, i: MInvitation): void {
  s.bars[barKey(i.to, i.from)] ??= { invitationId: i.id, at: s.now };
}

// ---------------------------------------------------------------------------------------------
// Views, as the API presents them

/** Degree by breadth-first search over the model's connections (the crew is connected only within itself). */
function degreeOf(s: MState, from: number, to: number): string {
  if (from === to) return 'self';
  const seen = new Set([from]);
  let frontier = [from];
  for (let d = 1; d <= 3; d++) {
    const next: number[] = [];
    for (const u of frontier) {
      for (const key of Object.keys(s.connections)) {
        const [a, b] = key.split(':').map(Number) as [number, number];
        const v = a === u ? b : b === u ? a : undefined;
        if (v === undefined || seen.has(v)) continue;
        if (v === to) return ['1st', '2nd', '3rd'][d - 1] as string;
        seen.add(v);
        next.push(v);
      }
    }
    frontier = next;
  }
  return 'out_of_network';
}
const connected = (s: MState, a: number, b: number) => s.connections[pairOf(a, b)] !== undefined;
function mutualCount(s: MState, a: number, b: number, crew: Member[]): number {
  return crew.filter((_, k) => k !== a && k !== b && connected(s, a, k) && connected(s, b, k)).length;
}
const summary = (s: MState, viewer: number, other: number, crew: Member[]) => {
  const m = crew[other];
  return { id: m?.id, fullName: m?.fullName, headline: m?.headline, location: m?.location, degree: degreeOf(s, viewer, other), mutualCount: mutualCount(s, viewer, other, crew) };
};
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function sentView(s: MState, i: MInvitation, crew: Member[]) {
  const now = s.now;
  return {
    id: i.id,
    direction: 'sent',
    recipient: summary(s, i.from, i.to, crew),
    note: i.note,
    status: sentStatus(i, now),
    createdAt: iso(i.createdAt),
    closedAt: expiredByTime(i, now) ? iso(i.expiresAt) : isoOrNull(i.closedAt),
  };
}

export function receivedView(s: MState, i: MInvitation, crew: Member[]) {
  const status = receivedStatus(i, s.now);
  return {
    id: i.id,
    direction: 'received',
    sender: summary(s, i.to, i.from, crew),
    note: i.note,
    status,
    folder: status === 'pending' ? 'inbox' : status === 'ignored' ? 'archived' : null,
    idk: i.idk,
    spamReported: i.spam,
    conversationId: s.conversations[pairOf(i.from, i.to)]?.id ?? null,
    createdAt: iso(i.createdAt),
    ignoredAt: isoOrNull(i.ignoredAt),
    closedAt: expiredByTime(i, s.now) ? iso(i.expiresAt) : isoOrNull(i.closedAt),
  };
}

export function relationshipOf(s: MState, viewer: number, other: number) {
  if (viewer === other) return { status: 'self', invitationId: null, connectedAt: null };
  const c = s.connections[pairOf(viewer, other)];
  if (c) return { status: 'connected', invitationId: null, connectedAt: iso(c.at) };
  const open = openIn(s, viewer, other);
  if (open && open.expiresAt > s.now) return { status: open.from === viewer ? 'invitation_sent' : 'invitation_received', invitationId: open.id, connectedAt: null };
  return { status: 'none', invitationId: null, connectedAt: null };
}

export function eventsSeenBy(i: MInvitation, viewer: number) {
  return i.events
    .filter((e) => e.actor === viewer || SHARED_ACTIONS.includes(e.action))
    .map((e) => ({ action: e.action, actor: e.actor === null ? 'system' : e.actor === viewer ? 'you' : 'them', at: iso(e.at) }));
}

// ---------------------------------------------------------------------------------------------
// Steps (commands resolved against a state) and their predicted outcomes

export type ActKind = 'accept' | 'ignore' | 'idk' | 'spam' | 'withdraw' | 'reply';

export type Step =
  | { kind: 'send'; actor: number; to: number | null; toId: string; note: string | undefined }
  | { kind: ActKind; actor: number; invitationId: string; body?: string }
  | { kind: 'remove'; actor: number; other: number | null; otherId: string };

export type Outcome =
  | { ok: false; status: number; code: ErrorCode; details?: Record<string, unknown>; label: string }
  | { ok: true; status: number; label: string; apply(body: unknown): { next: MState; body: unknown } };

const fail = (kind: string, status: number, code: ErrorCode, details?: Record<string, unknown>): Outcome => ({
  ok: false,
  status,
  code,
  label: `${kind}:${code}`,
  ...(details && { details }),
});
const succeed = (label: string, status: number, next: MState, body: () => unknown): Outcome => ({ ok: true, status, label, apply: () => ({ next, body: body() }) });
const closed = (kind: string, status: Stored) => fail(kind, 409, 'InvitationClosed', { status });

/** The exact answer the service must give to `step` in state `s`. Never mutates `s`. */
export function predict(s: MState, step: Step, crew: Member[], cfg: Settings): Outcome {
  const d = structuredClone(s);
  switch (step.kind) {
    case 'send':
      return predictSend(d, step, crew, cfg);
    case 'remove': {
      const key = step.other === null ? '' : pairOf(step.actor, step.other);
      const c = d.connections[key];
      if (step.other === null || step.other === step.actor || !c) return fail('remove', 404, 'ConnectionNotFound');
      delete d.connections[key];
      d.invitations.find((i) => i.id === c.invitationId)?.events.push({ action: 'connection_removed', actor: step.actor, at: d.now });
      return succeed('remove:204', 204, d, () => undefined);
    }
    case 'withdraw': {
      const i = d.invitations.find((x) => x.id === step.invitationId);
      if (!i || i.from !== step.actor) return fail('withdraw', 404, 'InvitationNotFound');
      expirePair(d, i.from, i.to);
      if (isOpen(i.status)) {
        i.status = 'withdrawn';
        i.closedAt = d.now;
        i.events.push({ action: 'withdrawn', actor: step.actor, at: d.now });
        return succeed('withdraw:200', 200, d, () => sentView(d, i, crew));
      }
      if (i.status === 'withdrawn') return succeed('withdraw:200:repeat', 200, d, () => sentView(d, i, crew));
      return closed('withdraw', i.status === 'accepted' ? 'accepted' : 'expired');
    }
    case 'reply':
      return predictReply(d, step, crew);
    case 'accept':
    case 'ignore':
    case 'idk':
    case 'spam':
      return predictRecipient(d, { ...step, kind: step.kind }, crew);
  }
}

function predictSend(d: MState, step: Extract<Step, { kind: 'send' }>, crew: Member[], cfg: Settings): Outcome {
  const a = step.actor;
  const b = step.to;
  if (step.note !== undefined && step.note.trim().length > cfg.noteMax) return fail('send', 400, 'ValidationFailed', { issues: 'any' });
  if (b === a) return fail('send', 422, 'CannotInviteSelf');
  if (b === null) return fail('send', 404, 'MemberNotFound');
  expirePair(d, a, b);
  if (d.connections[pairOf(a, b)]) return fail('send', 409, 'AlreadyConnected');
  const open = openIn(d, a, b);
  if (open?.from === a) return succeed('send:200:repeat', 200, d, () => ({ outcome: 'sent', invitation: sentView(d, open, crew) }));
  if (open) {
    connect(d, open, a);
    return succeed('send:200:connected', 200, d, () => ({ outcome: 'connected', memberId: crew[b]?.id, connectedAt: iso(d.now) }));
  }
  const withdrawn = d.invitations.filter((i) => i.from === a && i.to === b && i.status === 'withdrawn').map((i) => i.closedAt ?? 0);
  const lastWithdrawn = withdrawn.length ? Math.max(...withdrawn) : undefined;
  if (lastWithdrawn !== undefined && lastWithdrawn + cfg.cooldownMs > d.now) {
    return fail('send', 429, 'ReinviteCooldown', { retryAt: iso(lastWithdrawn + cfg.cooldownMs) });
  }
  const recent = d.invitations.filter((i) => i.from === a && i.createdAt > d.now - WEEK).map((i) => i.createdAt).sort((x, y) => x - y);
  if (recent.length >= cfg.weeklyLimit) {
    return fail('send', 429, 'WeeklyInviteLimit', { retryAt: iso((recent[recent.length - cfg.weeklyLimit] ?? d.now - WEEK) + WEEK) });
  }
  const outstanding = d.invitations.filter((i) => i.from === a && isOpen(i.status) && i.expiresAt > d.now).map((i) => i.expiresAt);
  if (outstanding.length >= cfg.outstandingLimit) {
    return fail('send', 429, 'OutstandingInviteLimit', { retryAt: iso(outstanding.length ? Math.min(...outstanding) : d.now) });
  }
  const barred = d.bars[barKey(b, a)] !== undefined;
  return {
    ok: true,
    status: 201,
    label: barred ? 'send:201:barred' : 'send:201',
    apply(body) {
      const parsed = SendResult.safeParse(body);
      const id = parsed.success && parsed.data.outcome === 'sent' ? parsed.data.invitation.id : '(no id in the answer)';
      const fresh = !d.invitations.some((i) => i.id === id);
      const inv: MInvitation = {
        id: fresh ? id : '(a new id)',
        from: a,
        to: b,
        note: step.note?.trim() || null,
        createdAt: d.now,
        expiresAt: d.now + cfg.expiryMs,
        // The IDK bar files it straight into Archived; the sender's view still says pending.
        status: barred ? 'ignored' : 'pending',
        idk: false,
        spam: false,
        ignoredAt: barred ? d.now : null,
        closedAt: null,
        beyondNetwork: degreeOf(d, a, b) !== '2nd',
        events: [{ action: 'sent', actor: a, at: d.now }],
      };
      d.invitations.push(inv);
      return { next: d, body: { outcome: 'sent', invitation: sentView(d, inv, crew) } };
    },
  };
}

function predictRecipient(d: MState, step: { kind: 'accept' | 'ignore' | 'idk' | 'spam'; actor: number; invitationId: string }, crew: Member[]): Outcome {
  const kind = step.kind;
  const i = d.invitations.find((x) => x.id === step.invitationId);
  if (!i || i.to !== step.actor) return fail(kind, 404, 'InvitationNotFound');
  if (isOpen(i.status)) expirePair(d, i.from, i.to);
  const view = () => receivedView(d, i, crew);
  const flag = (action: string) => {
    i.status = 'ignored';
    i.ignoredAt ??= d.now;
    i.events.push({ action, actor: step.actor, at: d.now });
  };
  switch (kind) {
    case 'accept':
      if (i.status === 'accepted') return succeed('accept:200:repeat', 200, d, view);
      if (!isOpen(i.status)) return closed(kind, i.status);
      connect(d, i, step.actor);
      return succeed('accept:200', 200, d, view);
    case 'ignore':
      if (i.status === 'ignored') return succeed('ignore:200:repeat', 200, d, view);
      if (i.status !== 'pending') return closed(kind, i.status);
      flag('ignored');
      return succeed('ignore:200', 200, d, view);
    case 'idk':
      if (i.idk) return succeed('idk:200:repeat', 200, d, view);
      if (!isOpen(i.status)) return closed(kind, i.status);
      flag('idk');
      i.idk = true;
      bar(d, i);
      return succeed('idk:200', 200, d, view);
    case 'spam':
      if (i.spam) return succeed('spam:200:repeat', 200, d, view);
      if (!isOpen(i.status)) return closed(kind, i.status);
      flag('spam_reported');
      i.idk = true;
      i.spam = true;
      bar(d, i);
      d.spamReports[i.id] ??= { reporter: i.to, sender: i.from, at: d.now };
      return succeed('spam:200', 200, d, view);
  }
}

function predictReply(d: MState, step: { actor: number; invitationId: string; body?: string }, crew: Member[]): Outcome {
  const i = d.invitations.find((x) => x.id === step.invitationId);
  if (!i || i.to !== step.actor) return fail('reply', 404, 'InvitationNotFound');
  const open = isOpen(i.status) && i.expiresAt > d.now;
  if (!open && i.status !== 'accepted') return closed('reply', expiredByTime(i, d.now) ? 'expired' : i.status);
  const pair = pairOf(i.from, i.to);
  if (!open && !d.connections[pair]) return fail('reply', 403, 'MessageNotAllowed');
  return {
    ok: true,
    status: 201,
    label: open ? 'reply:201' : 'reply:201:accepted',
    apply(body) {
      const parsed = Message.safeParse(body);
      const known = d.conversations[pair];
      const conversationId = known?.id ?? (parsed.success ? parsed.data.conversationId : '(no conversation id)');
      d.conversations[pair] = { id: conversationId, invitationId: i.id };
      i.events.push({ action: 'replied', actor: step.actor, at: d.now });
      const expected = {
        id: parsed.success ? parsed.data.id : '(no id)',
        conversationId,
        senderId: crew[step.actor]?.id,
        body: (step.body ?? '').trim(),
        createdAt: iso(d.now),
      };
      return { next: d, body: expected };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Executing a step over HTTP and checking the answer

export type Response = LightMyRequestResponse;

export function request(t: TestApp, m: Member | undefined, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object): Promise<Response> {
  return t.app.inject({ method, url, headers: m?.headers ?? {}, ...(payload !== undefined && { payload }) });
}

export function execute(t: TestApp, crew: Member[], step: Step): Promise<Response> {
  const m = crew[step.actor];
  switch (step.kind) {
    case 'send':
      return request(t, m, 'POST', '/api/invitations', { recipientId: step.toId, ...(step.note !== undefined && { note: step.note }) });
    case 'remove':
      return request(t, m, 'DELETE', `/api/connections/${step.otherId}`);
    case 'reply':
      return request(t, m, 'POST', `/api/invitations/${step.invitationId}/replies`, { body: step.body ?? 'Hello' });
    default:
      return request(t, m, 'POST', `/api/invitations/${step.invitationId}/${step.kind}`);
  }
}

export function bodyOf(res: Response): unknown {
  if (res.body === '') return undefined;
  try {
    return JSON.parse(res.body);
  } catch {
    return res.body;
  }
}

export type Verdict = { ok: true; next: MState } | { ok: false; actual: unknown; expected: unknown };

/** Does the server's answer match the prediction? Deep-equal on status, error code and details, or the body. */
/**
 * `lenientNetwork`: leave `degree` and `mutualCount` out of the comparison. Only for races on
 * PostgreSQL, where a transaction can read a concurrent commit's rows a moment before this process's
 * graph hears of it (docs/graph.md); SQLite orders the two exactly and is judged in full.
 */
function withoutNetwork(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNetwork);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'degree' && k !== 'mutualCount').map(([k, v]) => [k, withoutNetwork(v)]));
}

export function judge(outcome: Outcome, res: Response, s: MState, lenientNetwork = false): Verdict {
  const body = lenientNetwork ? withoutNetwork(bodyOf(res)) : bodyOf(res);
  if (!outcome.ok) {
    const error = isRecord(body) && isRecord(body.error) ? body.error : {};
    const actual: Record<string, unknown> = { status: res.statusCode, code: error.code };
    const expected: Record<string, unknown> = { status: outcome.status, code: outcome.code };
    if (outcome.details?.issues === 'any') {
      actual.issues = Array.isArray(isRecord(error.details) ? error.details.issues : undefined);
      expected.issues = true;
    } else {
      actual.details = error.details;
      expected.details = outcome.details;
    }
    const retryAt = outcome.details?.retryAt;
    if (typeof retryAt === 'string') {
      actual.retryAfter = res.headers['retry-after'];
      expected.retryAfter = String(Math.max(1, Math.ceil((Date.parse(retryAt) - s.now) / 1000)));
    }
    // A refused write rolls back: the state, including any expiry it persisted, is unchanged.
    return isDeepStrictEqual(actual, expected) ? { ok: true, next: s } : { ok: false, actual, expected };
  }
  if (res.statusCode !== outcome.status) return { ok: false, actual: { status: res.statusCode, body }, expected: { status: outcome.status } };
  const applied = outcome.apply(bodyOf(res));
  const expected = lenientNetwork ? withoutNetwork(applied.body) : applied.body;
  return isDeepStrictEqual(normaliseUndefined(body), normaliseUndefined(expected))
    ? { ok: true, next: applied.next }
    : { ok: false, actual: body, expected: applied.body };
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const normaliseUndefined = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

// ---------------------------------------------------------------------------------------------
// Commands: plain data, generated before the run, resolved against the state when they run

export type Pick = 'latest' | 'ghost' | number;
/** Who acts on an invitation: its rightful party, the other party of it, or a member outside it. */
export type Party = 'owner' | 'counterpart' | 'third';
export type SentFilter = 'pending' | 'accepted' | 'withdrawn' | 'expired' | undefined;

export type SendCmd = { kind: 'send'; from: number; to: number | 'ghost'; note: string | undefined };
/** An action on an invitation: `target` counts back from the newest invitation of the run. */
export type ActCmd = { kind: ActKind; target: Pick; as: Party; body?: string };
/** Remove the connection between the two parties of an invitation (made or not), or with a made-up member. */
export type RemoveCmd = { kind: 'remove'; target: Pick; by: 'sender' | 'recipient' };
export type QuietCmd = { kind: 'quiet'; action: 'ignore' | 'idk' | 'spam'; target: Pick };
export type Cmd =
  | SendCmd
  | ActCmd
  | RemoveCmd
  | { kind: 'advance'; ms: number }
  | { kind: 'advanceTo'; deadline: 'expiry' | 'cooldown' | 'weekly'; which: number; offset: -1 | 0 | 1 }
  | { kind: 'look'; actor: number; filter: SentFilter }
  | { kind: 'race'; a: SendCmd | ActCmd; b: SendCmd | ActCmd }
  | QuietCmd
  | { kind: 'observe'; actor: number };

export interface Ref {
  id: string;
  from: number;
  to: number;
}

const NOTES = ['Met you at the Lisbon meetup.', '  We worked together at Initech.  ', '   ', 'x'.repeat(NOTE_MAX + 1)];

export const noteArb = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 10 },
  { arbitrary: fc.constantFrom(...NOTES.slice(0, 2)), weight: 10 },
  { arbitrary: fc.constant(NOTES[2]), weight: 2 },
  { arbitrary: fc.constant(NOTES[3]), weight: 1 },
);
export const pickArb = fc.oneof(
  { arbitrary: fc.constant<Pick>('latest'), weight: 12 },
  { arbitrary: fc.nat(4), weight: 8 },
  { arbitrary: fc.constant<Pick>('ghost'), weight: 1 },
);
const partyArb = fc.oneof(
  { arbitrary: fc.constant<Party>('owner'), weight: 20 },
  { arbitrary: fc.constantFrom<Party>('counterpart', 'third'), weight: 1 },
);

/**
 * How a run spends its commands. `mixed` does a bit of everything; `burst` is a busy sender
 * (weekly and outstanding limits); `pair` is one pair's history (IDK bars, withdraw and re-invite,
 * cooldowns, expiry, removal).
 */
export type Profile = 'mixed' | 'burst' | 'pair';
export const profileArb = fc.constantFrom<Profile>('mixed', 'burst', 'pair', 'pair');

export function advanceArb(cfg: Settings, profile: Profile = 'mixed') {
  if (profile === 'burst') return fc.oneof({ arbitrary: fc.integer({ min: HOUR, max: 4 * DAY }), weight: 4 }, { arbitrary: fc.integer({ min: WEEK - HOUR, max: WEEK + HOUR }), weight: 3 });
  return fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 3 * DAY }), weight: 5 },
    { arbitrary: fc.integer({ min: WEEK - HOUR, max: WEEK + HOUR }), weight: 2 },
    { arbitrary: fc.integer({ min: cfg.cooldownMs - HOUR, max: cfg.cooldownMs + HOUR }), weight: 3 },
    { arbitrary: fc.constantFrom(cfg.cooldownMs, cfg.expiryMs), weight: 1 },
    { arbitrary: fc.integer({ min: cfg.expiryMs - 2 * DAY, max: cfg.expiryMs + 2 * DAY }), weight: 2 },
  );
}

function sendArb(n: number, profile: Profile): fc.Arbitrary<SendCmd> {
  const anyone = fc.nat(n - 1);
  const from = profile === 'mixed' ? anyone : fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: anyone, weight: 1 });
  const to =
    profile === 'pair'
      ? fc.oneof({ arbitrary: fc.constant(1), weight: 9 }, { arbitrary: anyone, weight: 1 })
      : fc.oneof({ arbitrary: fc.integer({ min: 1, max: n - 1 }), weight: 40 }, { arbitrary: anyone, weight: 3 }, { arbitrary: fc.constant('ghost' as const), weight: 1 });
  const pairFrom = profile === 'pair' ? fc.oneof({ arbitrary: fc.constant(0), weight: 9 }, { arbitrary: fc.constant(1), weight: 1 }) : from;
  const other = fc.record({ kind: fc.constant('send' as const), from: pairFrom, to, note: noteArb }).map((c) => (c.from === c.to ? { ...c, to: (c.to + 1) % n } : c));
  const self = fc.record({ kind: fc.constant('send' as const), from: anyone, note: noteArb }).map((c): SendCmd => ({ ...c, to: c.from }));
  return fc.oneof({ arbitrary: other, weight: 30 }, { arbitrary: self, weight: 1 });
}

const removeArb = fc.record({ kind: fc.constant('remove' as const), target: pickArb, by: fc.constantFrom('sender' as const, 'recipient' as const) });

/** Commands for the model test, on a crew of n members. */
export function modelCommandArb(n: number, cfg: Settings, profile: Profile): fc.Arbitrary<Cmd> {
  // A pair's history acts mostly on its newest invitation, so IDK, closure and re-invite follow each other.
  const target = profile === 'pair' ? fc.oneof({ arbitrary: fc.constant<Pick>('latest'), weight: 6 }, { arbitrary: pickArb, weight: 1 }) : pickArb;
  const act = (kinds: ActKind[]): fc.Arbitrary<ActCmd> =>
    fc.record({ kind: fc.constantFrom(...kinds), target, as: partyArb, body: fc.constantFrom('Thanks!', '  Happy to talk first.  ') });
  const race = fc
    .record({ from: fc.nat(n - 1), to: fc.nat(n - 1), third: fc.nat(n - 1), kinds: fc.tuple(raceKindArb, raceKindArb) })
    .map(({ from, to, third, kinds }) => ({ kind: 'race' as const, a: raceCommand(kinds[0], from, to, third), b: raceCommand(kinds[1], from, to, third) }));
  const w = {
    mixed: { send: 8, accept: 3, flag: 4, withdraw: 3, reply: 2, remove: 2, advance: 4, advanceTo: 2, look: 1, race: 2 },
    burst: { send: 14, accept: 2, flag: 2, withdraw: 1, reply: 1, remove: 1, advance: 7, advanceTo: 2, look: 1, race: 3 },
    pair: { send: 10, accept: 3, flag: 8, withdraw: 6, reply: 1, remove: 3, advance: 2, advanceTo: 6, look: 1, race: 1 },
  }[profile];
  return fc.oneof(
    { arbitrary: sendArb(n, profile), weight: w.send },
    { arbitrary: act(['accept']), weight: w.accept },
    { arbitrary: act(profile === 'pair' ? ['ignore', 'idk', 'idk', 'spam'] : ['ignore', 'idk', 'spam']), weight: w.flag },
    { arbitrary: act(['withdraw']), weight: w.withdraw },
    { arbitrary: act(['reply']), weight: w.reply },
    { arbitrary: fc.record({ kind: fc.constant('remove' as const), target, by: fc.constantFrom('sender' as const, 'recipient' as const) }), weight: w.remove },
    { arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: advanceArb(cfg, profile) }), weight: w.advance },
    {
      arbitrary: advanceToArb(profile === 'pair' ? fc.constantFrom<Deadline>('expiry', 'cooldown', 'cooldown') : fc.constantFrom<Deadline>('expiry', 'cooldown', 'weekly')),
      weight: w.advanceTo,
    },
    { arbitrary: fc.record({ kind: fc.constant('look' as const), actor: fc.nat(n - 1), filter: fc.constantFrom<SentFilter>(undefined, 'pending', 'accepted', 'withdrawn', 'expired') }), weight: w.look },
    { arbitrary: race, weight: w.race },
  );
}

type RaceKind = 'send' | 'sendBack' | 'sendElsewhere' | 'accept' | 'ignore' | 'idk' | 'spam' | 'withdraw';
const raceKindArb = fc.constantFrom<RaceKind>('send', 'sendBack', 'sendElsewhere', 'accept', 'ignore', 'idk', 'spam', 'withdraw');

function raceCommand(kind: RaceKind, from: number, to: number, third: number): SendCmd | ActCmd {
  if (kind === 'send') return { kind: 'send', from, to, note: undefined };
  if (kind === 'sendBack') return { kind: 'send', from: to, to: from, note: undefined };
  if (kind === 'sendElsewhere') return { kind: 'send', from, to: third, note: undefined };
  return { kind, target: 'latest', as: 'owner' };
}

/** Commands for the privacy test: `quiet` is what the recipient does in world 1 only. */
export function privacyCommandArb(n: number, cfg: Settings, profile: Profile): fc.Arbitrary<Cmd> {
  const act = (kind: 'withdraw' | 'accept' | 'reply') => pickArb.map((target): Cmd => ({ kind, target, as: 'owner', ...(kind === 'reply' && { body: 'Hello! How do we know each other?' }) }));
  return fc.oneof(
    { arbitrary: sendArb(n, profile), weight: 8 },
    { arbitrary: act('withdraw'), weight: 4 },
    { arbitrary: act('accept'), weight: 1 },
    { arbitrary: act('reply'), weight: 1 },
    { arbitrary: removeArb, weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('quiet' as const), action: fc.constantFrom('ignore' as const, 'idk' as const, 'spam' as const), target: pickArb }), weight: 5 },
    { arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: advanceArb(cfg, profile) }), weight: 3 },
    { arbitrary: advanceToArb(fc.constantFrom<Deadline>('expiry', 'cooldown', 'cooldown', 'cooldown')), weight: 4 },
    { arbitrary: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.nat(n - 1), weight: 1 }).map((actor): Cmd => ({ kind: 'observe', actor })), weight: 2 },
  );
}

type Deadline = 'expiry' | 'cooldown' | 'weekly';
const advanceToArb = (deadline: fc.Arbitrary<Deadline>) =>
  fc.record({ kind: fc.constant('advanceTo' as const), deadline, which: fc.nat(5), offset: fc.constantFrom(-1 as const, 0 as const, 1 as const) });

export function pickFrom<T>(list: T[], pick: Pick): T | undefined {
  if (pick === 'ghost' || list.length === 0) return undefined;
  if (pick === 'latest') return list[list.length - 1];
  return list[list.length - 1 - (pick % list.length)];
}

const thirdOf = (n: number, a: number, b: number) => [...Array(n).keys()].find((i) => i !== a && i !== b) ?? a;

/** Turn a command into a step: pick the invitation (or a made-up id) and who acts on it. `ledger` is in creation order. */
export function resolve(cmd: SendCmd | ActCmd | RemoveCmd, ledger: Ref[], crew: Member[]): Step {
  if (cmd.kind === 'send') {
    const to = cmd.to === 'ghost' ? null : cmd.to;
    return { kind: 'send', actor: cmd.from, to, toId: to === null ? newId() : (crew[to]?.id ?? ''), note: cmd.note };
  }
  const target = pickFrom(ledger, cmd.target);
  if (cmd.kind === 'remove') {
    if (!target) return { kind: 'remove', actor: 0, other: null, otherId: newId() };
    const [actor, other] = cmd.by === 'sender' ? [target.from, target.to] : [target.to, target.from];
    return { kind: 'remove', actor, other, otherId: crew[other]?.id ?? '' };
  }
  const [from, to] = target ? [target.from, target.to] : [0, 1];
  const owner = cmd.kind === 'withdraw' ? from : to;
  const counterpart = cmd.kind === 'withdraw' ? to : from;
  const actor = cmd.as === 'owner' ? owner : cmd.as === 'counterpart' ? counterpart : thirdOf(crew.length, from, to);
  return { kind: cmd.kind, actor, invitationId: target?.id ?? newId(), ...(cmd.body !== undefined && { body: cmd.body }) };
}

/** The future deadline an `advanceTo` aims at, if there is one (falling back to an expiry). */
export function deadlineFor(s: MState, cfg: Settings, cmd: Extract<Cmd, { kind: 'advanceTo' }>): number | undefined {
  return pickDeadline(
    {
      expiry: s.invitations.filter((i) => isOpen(i.status)).map((i) => i.expiresAt),
      cooldown: s.invitations.filter((i) => i.status === 'withdrawn').map((i) => (i.closedAt ?? 0) + cfg.cooldownMs),
      weekly: s.invitations.map((i) => i.createdAt + WEEK),
    },
    s.now,
    cmd,
  );
}

function pickDeadline(times: Record<Deadline, number[]>, now: number, cmd: { deadline: Deadline; which: number; offset: number }): number | undefined {
  const future = (d: Deadline) => [...new Set(times[d])].map((t) => t + cmd.offset).filter((t) => t > now).sort((a, b) => a - b);
  const list = future(cmd.deadline).length ? future(cmd.deadline) : future('expiry');
  return list.length ? list[cmd.which % list.length] : undefined;
}

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
    if (barredBefore && i.ignored_at !== i.created_at) problems.push(`invitation ${String(i.id)} from a barred sender was not filed straight into Archived`);
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

// ---------------------------------------------------------------------------------------------
// The model-based property

export const T0 = Date.parse('2026-03-01T09:00:00.000Z');

/** CPU time from a process.cpuUsage() delta: on a busy machine a better guide than wall time. */
export const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

/** RAPPORT_PROPERTY_RUNS overrides; RAPPORT_LONG=1 selects the long count. */
export function runsFromEnv(normal: number, long: number): number {
  const forced = Number(process.env.RAPPORT_PROPERTY_RUNS);
  if (Number.isInteger(forced) && forced > 0) return forced;
  return process.env.RAPPORT_LONG === '1' ? long : normal;
}

export function fcParameters(numRuns: number): fc.Parameters<unknown> {
  const seed = Number(process.env.RAPPORT_PROPERTY_SEED);
  return { numRuns, ...(Number.isInteger(seed) && { seed }) };
}

export type Stats = Map<string, number>;
const count = (stats: Stats, label: string) => stats.set(label, (stats.get(label) ?? 0) + 1);

/** Read the database, check the invariants, and find the candidate state it holds (a race may leave two). */
async function settle(t: TestApp, crew: Member[], candidates: MState[], context: string): Promise<MState> {
  const db = await readDatabase(t, crew);
  const problems = invariantViolations(db);
  if (problems.length) throw new Error(`${context}: invariant broken:\n  ${problems.join('\n  ')}`);
  const { eventIds: _ids, ...stored } = db;
  const found = candidates.find((c) => isDeepStrictEqual(stored, expectedDatabase(c, crew)));
  if (found) return found;
  const first = candidates[0];
  if (!first) throw new Error(`${context}: no candidate state`);
  throw new Error(`${context}: the database differs from the model:\n${diffText(stored, expectedDatabase(first, crew))}`);
}

function diffText(actual: unknown, expected: unknown): string {
  return `  actual:   ${JSON.stringify(actual)}\n  expected: ${JSON.stringify(expected)}`;
}

/** One command against the server; returns the states the model allows afterwards. */
async function runCommand(t: TestApp, cfg: Settings, crew: Member[], s: MState, cmd: Cmd, stats: Stats, context: string): Promise<MState[]> {
  switch (cmd.kind) {
    case 'advance':
      t.clock.advance(cmd.ms);
      return [{ ...s, now: s.now + cmd.ms }];
    case 'advanceTo': {
      const at = deadlineFor(s, cfg, cmd);
      if (at === undefined) return [s];
      count(stats, `advanceTo:${cmd.deadline}:${cmd.offset}`);
      t.clock.set(new Date(at));
      return [{ ...s, now: at }];
    }
    case 'look': {
      const { mismatches, next } = await look(t, crew, s, cmd.actor, cmd.filter);
      count(stats, 'look');
      if (mismatches.length) throw new Error(`${context}: reads differ from the model:\n${mismatches.map((x) => `${x.what}\n${diffText(x.actual, x.expected)}`).join('\n')}`);
      return [next];
    }
    case 'race': {
      const a = resolve(cmd.a, s.invitations, crew);
      const b = resolve(cmd.b, s.invitations, crew);
      const [ra, rb] = await Promise.all([execute(t, crew, a), execute(t, crew, b)]);
      const candidates: MState[] = [];
      const misses: string[] = [];
      for (const [x, rx, y, ry] of [
        [a, ra, b, rb],
        [b, rb, a, ra],
      ] as const) {
        const first = predict(s, x, crew, cfg);
        const lenient = t.ctx.database.dialect === 'postgres';
        const v1 = judge(first, rx, s, lenient);
        if (!v1.ok) {
          misses.push(`${x.kind} first:\n${diffText(v1.actual, v1.expected)}`);
          continue;
        }
        const second = predict(v1.next, y, crew, cfg);
        const v2 = judge(second, ry, v1.next, lenient);
        if (!v2.ok) {
          misses.push(`${x.kind} first, then ${y.kind}:\n${diffText(v2.actual, v2.expected)}`);
          continue;
        }
        count(stats, `race:${first.label}|${second.label}`);
        candidates.push(v2.next);
      }
      if (!candidates.length) throw new Error(`${context}: a race must answer as one of its two orders would:\n${misses.join('\n')}`);
      return candidates;
    }
    case 'send':
    case 'remove':
    case 'accept':
    case 'ignore':
    case 'idk':
    case 'spam':
    case 'withdraw':
    case 'reply': {
      const step = resolve(cmd, s.invitations, crew);
      const outcome = predict(s, step, crew, cfg);
      const res = await execute(t, crew, step);
      const verdict = judge(outcome, res, s);
      if (!verdict.ok) throw new Error(`${context}: the server answered differently from the model:\n${diffText(verdict.actual, verdict.expected)}`);
      count(stats, outcome.label);
      if (outcome.label === 'send:201:barred') {
        // The IDK bar, stated outright: stored in Archived, shown to the sender as pending.
        const body = bodyOf(res);
        const shown = isRecord(body) && isRecord(body.invitation) ? body.invitation.status : undefined;
        const stored = await t.ctx.database.db.selectFrom('invitations').select('status').where('id', '=', isRecord(body) && isRecord(body.invitation) ? String(body.invitation.id) : '').executeTakeFirst();
        if (shown !== 'pending' || stored?.status !== 'ignored') throw new Error(`${context}: a barred invitation must be stored ignored (${stored?.status}) and shown pending (${String(shown)})`);
      }
      return [verdict.next];
    }
    case 'quiet':
    case 'observe':
      throw new Error(`${cmd.kind} belongs to the privacy test`);
  }
}

export function modelRunArb(cfg: Settings, maxCommands: number) {
  // A burst needs at least three recipients to reach the outstanding limit; a pair's history needs few bystanders.
  const crewSize = { mixed: fc.integer({ min: 3, max: 5 }), burst: fc.integer({ min: 4, max: 5 }), pair: fc.integer({ min: 3, max: 4 }) };
  return profileArb
    .chain((profile) => fc.tuple(crewSize[profile], fc.constant(profile)))
    .chain(([n, profile]) =>
      fc.record({
        n: fc.constant(n),
        profile: fc.constant(profile),
        // Start with an invitation: actions before the first one can only be "not found".
        commands: fc.tuple(sendArb(n, profile), fc.array(modelCommandArb(n, cfg, profile), { maxLength: maxCommands - 1, size: 'max' })).map(([first, rest]): Cmd[] => [first, ...rest]),
      }),
    );
}

/** Random command sequences against the real server; the model must agree at every step. Returns outcome counts. */
export async function runModelProperty(t: TestApp, numRuns: number, maxCommands: number): Promise<Stats> {
  const cfg = settingsOf(t.config);
  const stats: Stats = new Map();
  await fc.assert(
    fc.asyncProperty(modelRunArb(cfg, maxCommands), async ({ n, commands }) => {
      t.clock.set(new Date(T0));
      const crew = await createCrew(t, n);
      let s = emptyState(T0);
      // Invitations the run has seen withdrawn or expired: none of them may ever be accepted.
      const closedForGood = new Set<string>();
      for (const [k, cmd] of commands.entries()) {
        const context = `command #${k} ${JSON.stringify(cmd)}`;
        const candidates = await runCommand(t, cfg, crew, s, cmd, stats, context);
        s = cmd.kind === 'advance' || cmd.kind === 'advanceTo' ? (candidates[0] ?? s) : await settle(t, crew, candidates, context);
        const reopened = s.invitations.filter((i) => closedForGood.has(i.id) && i.status === 'accepted');
        if (reopened.length) throw new Error(`${context}: accepted after being withdrawn or expired: ${reopened.map((i) => i.id).join(', ')}`);
        for (const i of s.invitations) if (i.status === 'withdrawn' || i.status === 'expired' || expiredByTime(i, s.now)) closedForGood.add(i.id);
      }
    }),
    fcParameters(numRuns),
  );
  return stats;
}

// ---------------------------------------------------------------------------------------------
// Sender privacy: one history, two worlds

/** Keys and values that would tell a sender about ignore, IDK, spam or the Archived folder. */
const FORBIDDEN_KEY = /^(idk|spam|spamReported|ignored|ignoredAt|folder|archived)$/i;
const FORBIDDEN_VALUES = new Set(['ignored', 'archived', 'idk', 'spam_reported']);

export function forbiddenIn(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return FORBIDDEN_VALUES.has(value) ? [`${path} = ${value}`] : [];
  if (Array.isArray(value)) return value.flatMap((v, k) => forbiddenIn(v, `${path}[${k}]`));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => [...(FORBIDDEN_KEY.test(key) ? [`${path}.${key}`] : []), ...forbiddenIn(v, `${path}.${key}`)]);
}

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ISO_TIMES = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g;

/** Ids become placeholders by first appearance (members by index); times become offsets from the run's start. */
export class Normaliser {
  private readonly ids = new Map<string, string>();
  private next = 0;
  constructor(
    crew: Member[],
    private readonly t0: number,
  ) {
    crew.forEach((m, i) => this.ids.set(m.id, `<member ${i}>`));
  }

  string(s: string): string {
    return s
      .replace(UUIDS, (id) => {
        let p = this.ids.get(id);
        if (!p) this.ids.set(id, (p = `<id ${this.next++}>`));
        return p;
      })
      .replace(ISO_TIMES, (t) => `<t0+${(Date.parse(t) - this.t0) / 1000}s>`);
  }

  value(v: unknown, key?: string): unknown {
    if (typeof v === 'string') return key === 'nextCursor' ? `<cursor ${this.string(Buffer.from(v, 'base64url').toString('utf8'))}>` : this.string(v);
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x, k)]));
    return v;
  }

  /** Status, Retry-After and the body, byte for byte after normalising. */
  response(res: Response, withBody = true): string {
    const retry = res.headers['retry-after'];
    const text = withBody && res.body !== '' ? ` ${JSON.stringify(this.value(bodyOf(res)))}` : '';
    return `${res.statusCode}${retry === undefined ? '' : ` retry-after=${String(retry)}`}${text}`;
  }
}

interface WorldRef extends Ref {
  expiresAt: number;
  /** World 1 only: the recipient ignored it, said IDK or reported it (and the server said 200). */
  quieted: boolean;
  withdrawnAt?: number;
}

interface World {
  trace: string[];
  leaks: string[];
}

/** Everything member `m` can see as a sender, appended to the trace. */
async function observe(t: TestApp, crew: Member[], norm: Normaliser, ledger: WorldRef[], m: number, label: string, world: World, full: boolean): Promise<void> {
  const me = crew[m];
  const see = async (what: string, url: string) => {
    const res = await request(t, me, 'GET', url);
    world.leaks.push(...forbiddenIn(bodyOf(res)).map((p) => `${label} ${what}: ${p}`));
    world.trace.push(`${label} ${what} → ${norm.response(res)}`);
    return res;
  };
  for (const status of full ? ['', 'pending', 'accepted', 'withdrawn', 'expired'] : ['']) {
    await see(`sent ${status || 'all'}`, `/api/invitations/sent?limit=100${status && `&status=${status}`}`);
  }
  let cursor: string | null = null;
  for (let page = 0; full && page < 10 && (page === 0 || cursor); page++) {
    const res = await see(`sent page ${page}`, `/api/invitations/sent?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    const body = bodyOf(res);
    cursor = isRecord(body) && typeof body.nextCursor === 'string' ? body.nextCursor : null;
  }
  for (const ref of ledger.filter((r) => r.from === m)) {
    // The list already shows each invitation as GET /invitations/:id would; fetch it separately in full views.
    if (full) await see(`invitation`, `/api/invitations/${ref.id}`);
    await see(`events`, `/api/invitations/${ref.id}/events?limit=100`);
  }
  // Full views cover every member's profile; light ones those the sender invited.
  for (const [o, other] of crew.entries()) {
    if (o !== m && (full || ledger.some((r) => r.from === m && r.to === o))) await see(`profile of ${o}`, `/api/members/${other.id}`);
  }
}

/** Replay `commands` on fresh members; in world 1 the recipient's quiet actions happen, in world 2 they do not. */
async function playWorld(t: TestApp, cfg: Settings, n: number, commands: Cmd[], quiet: boolean, stats: Stats): Promise<World> {
  t.clock.set(new Date(T0));
  const crew = await createCrew(t, n);
  const norm = new Normaliser(crew, T0);
  const ledger: WorldRef[] = [];
  const world: World = { trace: [], leaks: [] };
  const note = (label: string) => {
    if (quiet) count(stats, label);
  };
  const senderView = (label: string, res: Response) => {
    world.leaks.push(...forbiddenIn(bodyOf(res)).map((p) => `${label}: ${p}`));
    world.trace.push(`${label} → ${norm.response(res)}`);
  };
  for (const [k, cmd] of commands.entries()) {
    const label = `#${k} ${cmd.kind}`;
    switch (cmd.kind) {
      case 'send': {
        const step = resolve(cmd, ledger, crew);
        const res = await execute(t, crew, step);
        senderView(`${label} ${cmd.from}→${String(cmd.to)}`, res);
        const quieted = ledger.filter((r) => r.from === cmd.from && r.to === cmd.to && r.quieted);
        const body = SendResult.safeParse(bodyOf(res));
        const now = t.clock.now().getTime();
        for (const r of quieted) {
          const when =
            r.withdrawnAt !== undefined ? (now < r.withdrawnAt + cfg.cooldownMs ? 'during-cooldown' : 'after-cooldown') : r.expiresAt <= now ? 'after-expiry' : 'while-open';
          note(`reinvite:${when}:${res.statusCode}`);
        }
        if (res.statusCode === 201 && body.success && body.data.outcome === 'sent') {
          const inv = body.data.invitation;
          ledger.push({ id: inv.id, from: cmd.from, to: step.kind === 'send' && step.to !== null ? step.to : -1, expiresAt: Date.parse(inv.createdAt) + cfg.expiryMs, quieted: false });
        }
        break;
      }
      case 'withdraw': {
        const target = pickFrom(ledger, cmd.target);
        const res = await execute(t, crew, resolve(cmd, ledger, crew));
        senderView(label, res);
        if (target?.quieted) note(`withdraw-quieted:${res.statusCode}`);
        if (target && res.statusCode === 200) target.withdrawnAt ??= t.clock.now().getTime();
        break;
      }
      case 'accept':
      case 'reply':
      case 'remove': {
        // The recipient's own answers legitimately differ (folder, ignoredAt); only the outcome must not.
        const res = await execute(t, crew, resolve(cmd, ledger, crew));
        world.trace.push(`${label} → ${res.statusCode}`);
        break;
      }
      case 'quiet': {
        if (!quiet) break;
        const target = pickFrom(ledger, cmd.target);
        const res = await execute(t, crew, resolve({ kind: cmd.action, target: cmd.target, as: 'owner' }, ledger, crew));
        note(`quiet:${cmd.action}:${res.statusCode}`);
        if (target && res.statusCode === 200) target.quieted = true;
        break;
      }
      case 'advance':
        t.clock.advance(cmd.ms);
        break;
      case 'advanceTo': {
        const now = t.clock.now().getTime();
        const times = { expiry: ledger.map((r) => r.expiresAt), cooldown: ledger.flatMap((r) => (r.withdrawnAt === undefined ? [] : [r.withdrawnAt + cfg.cooldownMs])), weekly: [] };
        const at = pickDeadline(times, now, cmd);
        if (at !== undefined) t.clock.set(new Date(at));
        break;
      }
      case 'observe':
        if (ledger.some((r) => r.from === cmd.actor && r.quieted)) note('observe-quieted');
        await observe(t, crew, norm, ledger, cmd.actor, label, world, true);
        break;
      case 'look':
      case 'race':
        throw new Error(`${cmd.kind} belongs to the model test`);
    }
  }
  // At the end, everyone who sent something looks; the focal sender (0) looks at everything.
  for (const m of crew.keys()) {
    if (m === 0 || ledger.some((r) => r.from === m)) await observe(t, crew, norm, ledger, m, `end: member ${m}`, world, m === 0);
  }
  return world;
}

export function privacyRunArb(cfg: Settings, maxCommands: number) {
  return fc
    .tuple(fc.integer({ min: 3, max: 4 }), fc.constantFrom<Profile>('pair', 'pair', 'mixed'))
    .chain(([n, profile]) =>
      fc.record({
        n: fc.constant(n),
        profile: fc.constant(profile),
        commands: fc.tuple(sendArb(n, profile), fc.array(privacyCommandArb(n, cfg, profile), { maxLength: maxCommands - 1, size: 'max' })).map(([first, rest]): Cmd[] => [first, ...rest]),
      }),
    );
}

/** Random histories in two worlds; the senders' views must match byte for byte. Returns coverage counts. */
export async function runPrivacyProperty(t: TestApp, numRuns: number, maxCommands: number): Promise<Stats> {
  const cfg = settingsOf(t.config);
  const stats: Stats = new Map();
  await fc.assert(
    fc.asyncProperty(privacyRunArb(cfg, maxCommands), async ({ n, commands }) => {
      fc.pre(commands.some((c) => c.kind === 'quiet'));
      const one = await playWorld(t, cfg, n, commands, true, stats);
      const two = await playWorld(t, cfg, n, commands, false, new Map());
      const leaks = [...one.leaks, ...two.leaks];
      if (leaks.length) throw new Error(`a sender's view names what only the recipient may know:\n  ${leaks.join('\n  ')}`);
      const k = one.trace.findIndex((line, i) => line !== two.trace[i]);
      if (k >= 0 || one.trace.length !== two.trace.length) {
        const at = k >= 0 ? k : Math.min(one.trace.length, two.trace.length);
        throw new Error(
          `the sender can tell the worlds apart at observation ${at}:\n  recipient acted:  ${one.trace[at] ?? '(nothing)'}\n  recipient silent: ${two.trace[at] ?? '(nothing)'}`,
        );
      }
    }),
    fcParameters(numRuns),
  );
  return stats;
}
