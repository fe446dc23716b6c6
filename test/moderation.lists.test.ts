/**
 * The admin lists (spam reports, enforcements, appeals, the audit log, member lookup): each pages
 * safety's own table and names the members in it from members/ in one read per page
 * (docs/architecture.md, skeleton → hydrate). So a list shows a member as they are named now, a
 * deleted account as "Deleted member", and pages cover a list once, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMember } from './_factories.js';
import { api } from './_invitations.js';
import { createTestApp, dialects, PASSWORD, signupAndLogin, type Session, type TestApp } from './_util.js';

interface Named {
  id: string;
  fullName: string;
}

describe.each(dialects)('admin moderation lists [%s]', (dialect) => {
  let t: TestApp;
  let x: ReturnType<typeof api>;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp(dialect, { SESSION_TTL_DAYS: '3650' });
    x = api(t.app);
    admin = await makeMember(t.ctx, 'Ada Admin');
    await t.ctx.database.db.updateTable('members').set({ role: 'admin' }).where('id', '=', admin.id).execute();
  });
  afterAll(() => t.close());

  const list = async (url: string) => (await x.call(admin, 'GET', url)).json();

  it('names every member a list mentions as they are named now, and a deleted account as "Deleted member"', async () => {
    const sender = await makeMember(t.ctx, 'Sam Sender');
    const reporter = await signupAndLogin(t.app, 'Rita Reporter');
    const sent = await x.send(sender, reporter.id, 'Hello from a stranger');
    expect((await x.act(reporter, sent.json().invitation.id, 'spam')).statusCode).toBe(200);
    expect((await x.call(sender, 'PATCH', '/api/me/profile', { fullName: 'Samuel Sender' })).statusCode).toBe(200);
    await x.call(admin, 'POST', `/api/admin/members/${sender.id}/restrict`, { reason: 'Manual review' });
    const enforcementId = (await x.call(sender, 'GET', '/api/me/health')).json().enforcement.id;
    expect((await x.call(sender, 'POST', '/api/me/appeals', { enforcementId, message: 'A mistake.' })).statusCode).toBe(201);
    expect((await x.call(reporter, 'POST', '/api/account/delete', { password: PASSWORD })).statusCode).toBe(204);

    const report = (await list('/api/admin/spam-reports?limit=100')).items.find((r: { sender: Named }) => r.sender.id === sender.id);
    expect(report).toMatchObject({ note: 'Hello from a stranger', sender: { fullName: 'Samuel Sender' }, reporter: { id: reporter.id, fullName: 'Deleted member' } });
    const enforcement = (await list('/api/admin/enforcements?source=admin&limit=100')).items.find((e: { member: Named }) => e.member.id === sender.id);
    expect(enforcement).toMatchObject({ to: 'restricted', reason: 'Manual review', member: { fullName: 'Samuel Sender' } });
    const appeal = (await list('/api/admin/appeals?limit=100')).items.find((a: { member: Named }) => a.member.id === sender.id);
    expect(appeal).toMatchObject({ message: 'A mistake.', enforcement: { level: 'restricted' }, member: { fullName: 'Samuel Sender' } });
    const audit = (await list('/api/admin/audit?limit=100')).items.filter((a: { subjectId: string | null }) => a.subjectId === sender.id);
    expect(audit.find((a: { action: string }) => a.action === 'standing.restricted')).toMatchObject({ actorId: admin.id, actorName: 'Ada Admin', subjectName: 'Samuel Sender' });
    expect(audit.find((a: { action: string }) => a.action === 'appeal.opened')).toMatchObject({ actorName: 'Samuel Sender', subjectName: 'Samuel Sender' });

    const found = (await list(`/api/admin/members?q=${encodeURIComponent('samuel')}`)).items;
    expect(found).toEqual([expect.objectContaining({ id: sender.id, fullName: 'Samuel Sender', level: 'restricted', reason: 'Manual review' })]);
    const never = await makeMember(t.ctx, 'Never Evaluated');
    expect((await list(`/api/admin/members?q=${encodeURIComponent('never evaluated')}`)).items).toEqual([
      expect.objectContaining({ id: never.id, level: 'none', reason: null, suspendedUntil: null }),
    ]);
  });

  it('pages each list once, in order, whatever the page size', async () => {
    for (let i = 0; i < 5; i++) {
      const m = await makeMember(t.ctx, `Paged Member ${i}`);
      await x.call(admin, 'POST', `/api/admin/members/${m.id}/warn`, { reason: `warning ${i}` });
    }
    for (const url of ['/api/admin/enforcements?source=admin', '/api/admin/audit', '/api/admin/members?q=paged']) {
      const whole = (await list(`${url}${url.includes('?') ? '&' : '?'}limit=100`)).items;
      expect(whole.length).toBeGreaterThanOrEqual(5);
      for (const limit of [1, 2, 3]) {
        const seen: unknown[] = [];
        let cursor: string | null = null;
        do {
          const page: { items: unknown[]; nextCursor: string | null } = await list(`${url}${url.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          expect(page.items.length).toBeLessThanOrEqual(limit);
          seen.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor !== null);
        expect(seen).toEqual(whole);
      }
    }
  });
});
