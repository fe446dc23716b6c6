/**
 * The harness of the invitation races (test/invitations.races.test.ts): app clusters on one database
 * in two topologies, members inserted straight into the database, HTTP calls over real fetch(), and
 * the checks applied to every response and, after each scenario, to the tables directly.
 *
 * - one process: the test's own app, listening on a free port;
 * - two processes: two `rapport serve` children on one database (one WAL file on SQLite, one
 *   PostgreSQL database), requests split across them. On SQLite this drives the cross-process
 *   SQLITE_BUSY path of `Database.transaction()`; on PostgreSQL, two independent pools.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { SendResult } from '../src/contracts/invitations.js';
import { loadConfig } from '../src/server/config.js';
import { closeContext, createContext, type AppContext } from '../src/server/context.js';
import type { Dialect, Executor } from '../src/server/db/database.js';
import { newId, newSecret, sha256 } from '../src/server/ids.js';
import { pairKey } from '../src/server/modules/invitations/invitation.repository.js';
import { memberRow } from './_factories.js';
import { startServer, type ServerProcess } from './_processes.js';
import { createTestApp, freshDatabase } from './_util.js';

/** Small per-member limits, so the limit scenario can race past them if the checks were not serialised. */
export const WEEKLY_LIMIT = 5;
export const CONNECTION_LIMIT = 3;
// Test members are strangers to each other: keep the beyond-network restriction (docs/safety.md) out of the way.
const LIMITS = { INVITE_WEEKLY_LIMIT: String(WEEKLY_LIMIT), CONNECTION_LIMIT: String(CONNECTION_LIMIT), SAFETY_RESTRICT_BEYOND_NETWORK: '1000000' };

const OPEN = ['pending', 'ignored'] as const;
/** Text that would mean a storage error leaked to a client. */
const LEAK = /sqlite|database is locked|busy|deadlock|could not serialize|serialization|constraint|duplicate key/i;

export interface Member {
  id: string;
  token: Record<string, string>;
  session: Record<string, string>;
}

export interface Res {
  label: string;
  status: number;
  text: string;
  body: unknown;
}

export interface Cluster {
  /** Base URLs of the app processes sharing the database. */
  bases: string[];
  ctx: AppContext;
  servers: ServerProcess[];
  close(): Promise<void>;
}

export async function oneProcess(dialect: Dialect): Promise<Cluster> {
  const t = await createTestApp(dialect, LIMITS);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return { bases: [`http://127.0.0.1:${port}`], ctx: t.ctx, servers: [], close: () => (closing ??= t.close()) };
}

export async function twoProcesses(dialect: Dialect): Promise<Cluster> {
  const db = await freshDatabase(dialect);
  // The test's own context migrates the database before the children start, and then serves as
  // the fixture writer and the invariant checker.
  const ctx = await createContext(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: db.url, ...LIMITS }));
  const servers: ServerProcess[] = [];
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await closeContext(ctx);
      await db.drop();
    })());
  try {
    const started = await Promise.allSettled([startServer({ DATABASE_URL: db.url, ...LIMITS }), startServer({ DATABASE_URL: db.url, ...LIMITS })]);
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
  } catch (err) {
    await close();
    throw err;
  }
  return { bases: servers.map((s) => s.url), ctx, servers, close };
}

/** Members straight into the database (no Argon2), each with an API token and a cookie session. */
export async function makeMembers(ctx: AppContext, n: number, label: string): Promise<Member[]> {
  const now = ctx.clock.now().toISOString();
  const rows = Array.from({ length: n }, (_, i) => memberRow(ctx, `${label} ${i}`, `${label.toLowerCase()}.${i}.${randomBytes(4).toString('hex')}@example.com`));
  await ctx.database.transaction(async (tx) => {
    await tx.db.insertInto('members').values(rows).execute();
  });
  const creds = await Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      bearer: (await ctx.auth.createToken(row.id, 'races')).secret,
      cookie: newSecret('rps'),
      csrf: randomBytes(24).toString('base64url'),
    })),
  );
  await ctx.database.db
    .insertInto('sessions')
    .values(creds.map((m) => ({ id: newId(), member_id: m.id, token_hash: sha256(m.cookie), csrf_token: m.csrf, created_at: now, expires_at: '2099-01-01T00:00:00.000Z' })))
    .execute();
  const members = creds.map((m) => ({
    id: m.id,
    token: { authorization: `Bearer ${m.bearer}` },
    session: { cookie: `rapport_session=${m.cookie}`, 'x-csrf-token': m.csrf },
  }));
  return members;
}

/** One HTTP call; `n` picks the process (round robin) and the credential (token or session). */
async function call(c: Cluster, n: number, m: Member, method: 'GET' | 'POST', path: string, payload?: object): Promise<Res> {
  const base = c.bases[n % c.bases.length] as string;
  const auth = n % 2 === 0 ? m.token : m.session;
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { ...auth, ...(payload !== undefined && { 'content-type': 'application/json' }) },
    ...(payload !== undefined && { body: JSON.stringify(payload) }),
  });
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // checked by assertClean
  }
  return { label: `${method} ${path} via ${n % 2 === 0 ? 'token' : 'session'} on ${base}`, status: res.status, text, body };
}

export const send = (c: Cluster, n: number, from: Member, to: Member) => call(c, n, from, 'POST', '/invitations', { recipientId: to.id });
export const act = (c: Cluster, n: number, m: Member, id: string, action: 'accept' | 'withdraw' | 'ignore' | 'restore' | 'idk') => call(c, n, m, 'POST', `/invitations/${id}/${action}`);

/** Requirement 5: no 5xx, always JSON, and never a storage error's text. */
export function assertClean(responses: Res[]): void {
  for (const r of responses) {
    expect(r.status, `${r.label}: ${r.text}`).toBeLessThan(500);
    expect(r.body, `${r.label}: not JSON: ${r.text}`).toBeDefined();
    expect(r.text, `${r.label} leaked a storage error`).not.toMatch(LEAK);
  }
}

/** Setup: one pending invitation per pair (distinct pairs, so sending them together races nothing). */
export async function invite(c: Cluster, pairs: Array<[Member, Member]>): Promise<string[]> {
  const out = await Promise.all(pairs.map(([from, to], i) => send(c, i, from, to)));
  assertClean(out);
  return out.map((r) => {
    expect(r.status, r.text).toBe(201);
    const body = r.body as SendResult;
    if (body.outcome !== 'sent') throw new Error(r.text);
    return body.invitation.id;
  });
}

export function pairsOf(members: Member[]): Array<[Member, Member]> {
  const pairs: Array<[Member, Member]> = [];
  for (let i = 0; i + 1 < members.length; i += 2) pairs.push([members[i] as Member, members[i + 1] as Member]);
  return pairs;
}

export async function connectionRows(db: Executor, a: Member, b: Member) {
  return db
    .selectFrom('connections')
    .selectAll()
    .where((eb) => eb.or([eb.and([eb('member_id', '=', a.id), eb('other_id', '=', b.id)]), eb.and([eb('member_id', '=', b.id), eb('other_id', '=', a.id)])]))
    .execute();
}

export async function invitationsOfPair(db: Executor, a: Member, b: Member) {
  return db.selectFrom('invitations').selectAll().where('pair_key', '=', pairKey(a.id, b.id)).execute();
}

/** The invariants that must hold after any interleaving, checked against the tables directly. */
export async function assertInvariants(db: Executor): Promise<void> {
  const twoOpen = await db
    .selectFrom('invitations')
    .select(['pair_key', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', [...OPEN])
    .groupBy('pair_key')
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  expect(twoOpen, 'more than one open invitation for a pair').toEqual([]);

  const oneWay = await db
    .selectFrom('connections as c')
    .leftJoin('connections as d', (j) => j.onRef('d.member_id', '=', 'c.other_id').onRef('d.other_id', '=', 'c.member_id'))
    .select(['c.member_id', 'c.other_id'])
    .where('d.member_id', 'is', null)
    .execute();
  expect(oneWay, 'a connection without its mirror row').toEqual([]);

  const notAccepted = await db
    .selectFrom('connections as c')
    .leftJoin('invitations as i', 'i.id', 'c.invitation_id')
    .select(['c.member_id', 'c.other_id', 'i.status'])
    .where((eb) => eb.or([eb('i.id', 'is', null), eb('i.status', '!=', 'accepted')]))
    .execute();
  expect(notAccepted, 'a connection whose invitation is not accepted').toEqual([]);

  const openWhileConnected = await db
    .selectFrom('invitations as i')
    .innerJoin('connections as c', (j) => j.onRef('c.member_id', '=', 'i.sender_id').onRef('c.other_id', '=', 'i.recipient_id'))
    .select(['i.id', 'i.status'])
    .where('i.status', 'in', [...OPEN])
    .execute();
  expect(openWhileConnected, 'an open invitation between connected members').toEqual([]);
}

export function countBy(xs: Array<number | string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
