import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGIN, seedDemo } from '../src/cli/seed.js';
import { createTestApp, dialects, type TestApp } from './_util.js';

describe.each(dialects)('demo seed [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  it('builds a varied demo network once, on an empty database only', async () => {
    expect(await seedDemo(t.ctx, 220)).toBe(true);
    expect(await seedDemo(t.ctx, 220)).toBe(false);
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

  it('backs every seeded connection with an accepted invitation, both ways', async () => {
    const db = t.ctx.database.db;
    const connections = await db.selectFrom('connections').selectAll().execute();
    expect(connections.length).toBeGreaterThan(220 * 5);
    const keys = new Set(connections.map((c) => `${c.member_id}>${c.other_id}`));
    expect(connections.every((c) => keys.has(`${c.other_id}>${c.member_id}`))).toBe(true);
    const accepted = await db.selectFrom('invitations').select('id').where('status', '=', 'accepted').execute();
    expect(accepted.length * 2).toBe(connections.length);
  });

  it('gives the demo account invitations in its inbox and archive, and pending sent ones', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: DEMO_LOGIN });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'rapport_session')?.value ?? '';
    const headers = { cookie: `rapport_session=${cookie}` };
    const received = (await t.app.inject({ method: 'GET', url: '/api/invitations/received', headers })).json();
    expect(received.counts.inbox).toBeGreaterThan(0);
    expect(received.counts.archived).toBeGreaterThan(0);
    const sent = (await t.app.inject({ method: 'GET', url: '/api/invitations/sent', headers })).json();
    expect(sent.counts.pending).toBeGreaterThan(0);
    const connections = (await t.app.inject({ method: 'GET', url: '/api/connections', headers })).json();
    expect(connections.total).toBeGreaterThan(0);
  });
});
