/**
 * The invitation model's predictions and judgement: steps (commands resolved against a state), the
 * exact answer the service must give to each, executing a step over HTTP, and judging the answer
 * against the prediction. Part of the model in test/_model.ts.
 */
import { isDeepStrictEqual } from 'node:util';
import type { LightMyRequestResponse } from 'fastify';
import { Message, SendResult } from '../src/contracts/invitations.js';
import type { ErrorCode } from '../src/contracts/errors.js';
import type { TestApp } from './_util.js';
import {
  bar,
  barKey,
  connect,
  degreeOf,
  expiredByTime,
  expirePair,
  iso,
  isOpen,
  openIn,
  pairOf,
  receivedView,
  sentView,
  WEEK,
  type Member,
  type MInvitation,
  type MState,
  type Settings,
  type Stored,
} from './_model-state.js';

// ---------------------------------------------------------------------------------------------
// Steps (commands resolved against a state) and their predicted outcomes

export type ActKind = 'accept' | 'ignore' | 'restore' | 'idk' | 'spam' | 'withdraw' | 'reply';

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
    case 'restore':
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

function predictRecipient(d: MState, step: { kind: 'accept' | 'ignore' | 'restore' | 'idk' | 'spam'; actor: number; invitationId: string }, crew: Member[]): Outcome {
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
    case 'restore':
      // Back to the inbox: only from ignored and not flagged; already there answers like a repeat.
      if (i.status === 'pending') return succeed(i.events.some((e) => e.action === 'restored') ? 'restore:200:repeat' : 'restore:200:untouched', 200, d, view);
      if (i.status === 'ignored' && i.idk) return fail(kind, 409, 'InvitationFlagged');
      if (i.status !== 'ignored') return closed(kind, i.status);
      i.status = 'pending';
      i.ignoredAt = null;
      i.events.push({ action: 'restored', actor: step.actor, at: d.now });
      // Never ignored by hand: the IDK bar filed it into Archived.
      return succeed(i.events.some((e) => e.action === 'ignored') ? 'restore:200' : 'restore:200:barred', 200, d, view);
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
export const normaliseUndefined = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
