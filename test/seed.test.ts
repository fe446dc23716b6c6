import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../src/cli/prng.js';
import { buildNetwork, type SeededMember } from '../src/cli/seed-data.js';
import { LARGE, seedNetwork } from '../src/cli/seed-network.js';
import { SEEDED_INVITATION } from '../src/server/modules/connections/connection.repository.js';
import { circlesOf, DEMO_LOGIN, generateMember, seedDemo, seedMembers } from '../src/cli/seed.js';
import { createTestApp, dialects, type TestApp } from './_util.js';

describe.each(dialects)('demo seed [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  it('builds a varied demo network once, on an empty database only', async () => {
    const start = t.clock.now();
    const machine = { set: (at: Date) => t.clock.set(at), resume: () => t.clock.set(start) };
    expect(await seedDemo(t.ctx, 220, machine)).toBe(true);
    expect(await seedDemo(t.ctx, 220, machine)).toBe(false);
    expect(t.clock.now().toISOString()).toBe(start.toISOString());
    const db = t.ctx.database.db;
    const members = await db.selectFrom('members').select(['full_name', 'industry', 'location', 'current_company', 'headline']).execute();
    expect(members).toHaveLength(220);
    expect(new Set(members.map((m) => m.industry)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(members.map((m) => m.location)).size).toBeGreaterThanOrEqual(15);
    expect(new Set(members.map((m) => m.full_name)).size).toBeGreaterThan(150);
    expect(members.every((m) => m.headline.includes(m.current_company))).toBe(true);
    const positions = await db.selectFrom('positions').select('member_id').execute();
    expect(positions.length).toBeGreaterThan(220);
  });

  it('backs every seeded connection with an accepted invitation and its events, both ways', async () => {
    const db = t.ctx.database.db;
    const connections = await db.selectFrom('connections').selectAll().execute();
    expect(connections.length).toBeGreaterThan(220 * 5);
    const keys = new Set(connections.map((c) => `${c.member_id}>${c.other_id}`));
    expect(connections.every((c) => keys.has(`${c.other_id}>${c.member_id}`))).toBe(true);
    const accepted = await db.selectFrom('invitations').select(['id', 'created_at', 'closed_at']).where('status', '=', 'accepted').execute();
    // Every connection has its accepted invitation (the demo's two recent ones included).
    expect(accepted.length * 2).toBe(connections.length);
    expect(accepted.every((i) => i.closed_at !== null && i.closed_at >= i.created_at)).toBe(true);
    const events = await db.selectFrom('invitation_events').select('invitation_id').where('action', 'in', ['sent', 'accepted']).execute();
    expect(events.length).toBeGreaterThanOrEqual(accepted.length * 2);
  });

  it('gives the demo account a recent life through the services: every folder, unread conversations, notifications, at past times', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: DEMO_LOGIN });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'rapport_session')?.value ?? '';
    const headers = { cookie: `rapport_session=${cookie}` };
    const get = async (url: string) => (await t.app.inject({ method: 'GET', url, headers })).json();
    const received = await get('/api/invitations/received');
    expect(received.counts.inbox).toBe(6);
    expect(received.counts.archived).toBe(3);
    const sent = await get('/api/invitations/sent?status=pending');
    expect(sent.counts.pending).toBe(4);
    const conversations = await get('/api/conversations');
    expect(conversations.items).toHaveLength(4);
    expect(conversations.counts.unread).toBe(3);
    const notifications = await get('/api/notifications');
    const kinds = new Set(notifications.items.map((n: { kind: string }) => n.kind));
    expect(kinds).toEqual(new Set(['invitation_received', 'invitation_accepted', 'message_received']));
    expect(notifications.unreadCount).toBeGreaterThan(0);
    expect(notifications.unreadCount).toBeLessThan(notifications.items.length);
    // Spread over the past weeks, not all "just now".
    const now = t.clock.now().getTime();
    const ages = received.items.map((i: { createdAt: string }) => now - Date.parse(i.createdAt));
    expect(Math.max(...ages)).toBeGreaterThan(7 * 86_400_000);
    expect(Math.min(...ages)).toBeGreaterThan(0);
    const connections = await get('/api/connections');
    expect(connections.total).toBeGreaterThan(0);
    // Real invitations: each with its sent event, the ignored ones with theirs, in the events log.
    const ignored = await t.ctx.database.db.selectFrom('invitation_events').select('id').where('action', '=', 'ignored').execute();
    expect(ignored).toHaveLength(3);
  });
});

describe.each(dialects)('bulk seed [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  it('writes members and both rows of every connection without invitations, and puts back indexes and settings', async () => {
    const db = t.ctx.database.db;
    const members = await seedMembers(t.ctx, { members: LARGE, seed: 3 });
    const { connections } = await seedNetwork(t.ctx, members, { seed: 3, avgDegree: 6 });
    expect(connections).toBe(LARGE * 3);

    const count = async (table: 'members' | 'positions' | 'connections' | 'invitations') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('members')).toBe(LARGE);
    expect(await count('positions')).toBeGreaterThan(LARGE);
    expect(await count('connections')).toBe(2 * connections);
    expect(await count('invitations')).toBe(0);
    const rows = await db.selectFrom('connections').select(['member_id', 'other_id', 'invitation_id', 'created_at']).execute();
    const when = new Map(rows.map((r) => [`${r.member_id}>${r.other_id}`, r.created_at]));
    expect(rows.every((r) => r.invitation_id === SEEDED_INVITATION && when.get(`${r.other_id}>${r.member_id}`) === r.created_at)).toBe(true);

    const indexes =
      dialect === 'sqlite'
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(db)
        : await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema()`.execute(db);
    const names = indexes.rows.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['members_search_name', 'positions_company', 'educations_school', 'connections_recent']));
    if (dialect === 'sqlite') {
      const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] ?? {})[0];
      expect([await pragma('journal_mode'), await pragma('synchronous'), await pragma('foreign_keys')]).toEqual(['wal', 2, 1]);
    }

    // A seeded connection, which has no invitation, can be removed like any other.
    const first = rows[0] as { member_id: string; other_id: string };
    await t.ctx.connections.remove(first.member_id, first.other_id);
    expect(await count('connections')).toBe(2 * connections - 2);
  }, 120_000);
});

describe('generated network', () => {
  const members = (n: number): SeededMember[] => {
    const rnd = prng(5);
    return Array.from({ length: n }, (_, i) => {
      const g = generateMember(rnd, i, 'hash', '2026-01-01T00:00:00.000Z');
      return { id: g.member.id, circles: circlesOf(g) };
    });
  };
  const degrees = (offsets: Float64Array) => Array.from({ length: offsets.length - 1 }, (_, i) => (offsets[i + 1] as number) - (offsets[i] as number));

  it('draws the same network from the same seed, with exactly the asked average degree', () => {
    const people = members(5000);
    const a = buildNetwork(people, { seed: 9, avgDegree: 20, maxDegree: 30_000 });
    const b = buildNetwork(people, { seed: 9, avgDegree: 20, maxDegree: 30_000 });
    expect(a.connections).toBe(50_000);
    expect(b.neighbors).toEqual(a.neighbors);
    expect(b.offsets).toEqual(a.offsets);
    expect(buildNetwork(people, { seed: 10, avgDegree: 20, maxDegree: 30_000 }).neighbors).not.toEqual(a.neighbors);
  });

  it('has hubs, a skewed degree distribution, no duplicate or self connections, and mostly ties within shared circles', () => {
    const people = members(20_000);
    const net = buildNetwork(people, { seed: 1, avgDegree: 20, maxDegree: 30_000 });
    const d = degrees(net.offsets).sort((x, y) => x - y);
    expect(d[d.length - 1]).toBeGreaterThan(10 * 20);
    expect(d[d.length >> 1]).toBeLessThan(20);
    let shared = 0;
    let misplaced = 0;
    for (let i = 0; i < people.length; i++) {
      const row = net.neighbors.subarray(net.offsets[i], net.offsets[i + 1]);
      for (let k = 0; k < row.length; k++) if (row[k] === i || (k > 0 && (row[k] as number) <= (row[k - 1] as number))) misplaced++;
      const mine = new Set((people[i] as SeededMember).circles);
      for (const j of row) if ((people[j] as SeededMember).circles.some((c) => mine.has(c))) shared++;
    }
    expect(misplaced).toBe(0);
    expect(shared / net.neighbors.length).toBeGreaterThan(0.75);
  });

  it('never gives a member more connections than the limit', () => {
    const net = buildNetwork(members(3000), { seed: 2, avgDegree: 40, maxDegree: 60 });
    expect(Math.max(...degrees(net.offsets))).toBeLessThanOrEqual(60);
  });
});
