/**
 * The invitation model's settings, crew and state: the constants, the members a run creates, the
 * plain-data state with the mutations the service makes to it, the views the API presents, and the
 * run-wide helpers (start time, run counts, seed, outcome counts). Part of the model in test/_model.ts.
 */
import type fc from 'fast-check';
import { sql } from 'kysely';
import { NOTE_MAX } from '../src/contracts/invitations.js';
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
      deleted_at: null,
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
export const barKey = (recipient: number, sender: number) => `${recipient}>${sender}`;
export const isOpen = (s: Stored) => s === 'pending' || s === 'ignored';
export const expiredByTime = (i: MInvitation, now: number) => isOpen(i.status) && i.expiresAt <= now;
/** What the sender is shown: never `ignored`. */
export const sentStatus = (i: MInvitation, now: number) => (expiredByTime(i, now) ? 'expired' : i.status === 'ignored' ? 'pending' : i.status);
const receivedStatus = (i: MInvitation, now: number) => (expiredByTime(i, now) ? 'expired' : i.status);
export const byNewest = (a: MInvitation, b: MInvitation) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export function openIn(s: MState, a: number, b: number): MInvitation | undefined {
  const pair = pairOf(a, b);
  return s.invitations.find((i) => pairOf(i.from, i.to) === pair && isOpen(i.status));
}

/** The service persists expiry for the pair before any write on it (and keeps it only if the write commits). */
export function expirePair(s: MState, a: number, b: number): void {
  const pair = pairOf(a, b);
  for (const i of s.invitations) {
    if (pairOf(i.from, i.to) === pair && isOpen(i.status) && i.expiresAt <= s.now) {
      i.status = 'expired';
      i.closedAt = i.expiresAt;
      i.events.push({ action: 'expired', actor: null, at: i.expiresAt });
    }
  }
}

export function connect(s: MState, i: MInvitation, actor: number): void {
  i.status = 'accepted';
  i.closedAt = s.now;
  s.connections[pairOf(i.from, i.to)] = { invitationId: i.id, at: s.now };
  i.events.push({ action: 'accepted', actor, at: s.now });
  // An accept proves the two know each other: it lifts any IDK bar between them (docs/safety.md).
  delete s.bars[barKey(i.to, i.from)];
  delete s.bars[barKey(i.from, i.to)];
}

export function bar(s: MState, i: MInvitation): void {
  s.bars[barKey(i.to, i.from)] ??= { invitationId: i.id, at: s.now };
}

// ---------------------------------------------------------------------------------------------
// Views, as the API presents them

/** Degree by breadth-first search over the model's connections (the crew is connected only within itself). */
export function degreeOf(s: MState, from: number, to: number): string {
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
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

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
// Runs: start time, run counts, seeds and outcome counts

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
export const count = (stats: Stats, label: string) => stats.set(label, (stats.get(label) ?? 0) + 1);
