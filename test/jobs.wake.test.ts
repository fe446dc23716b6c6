/**
 * A job enqueued by another module's effect (an invitation email, a message digest) wakes a local
 * worker when its transaction commits, like any other enqueue: the effect holds only the
 * executor, and reaches the transaction's own commit hooks (one hook path, docs/jobs.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMember } from './_factories.js';
import { createTestApp, dialects, type TestApp } from './_util.js';

describe.each(dialects)('waking the worker [%s]', (dialect) => {
  let t: TestApp;
  let wakes = 0;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    t.ctx.jobs.onEnqueue(() => wakes++);
  });
  afterAll(() => t.close());

  it('wakes it at the commit that wrote an invitation email, and not before', async () => {
    const sender = await makeMember(t.ctx, 'Wake Sender');
    const recipient = await makeMember(t.ctx, 'Wake Recipient');
    const before = wakes;
    let insideTx = -1;
    await t.ctx.database.transaction(async (tx) => {
      await t.ctx.invitationEmails.sent(tx.db, { id: 'wake-test', sender_id: sender.id, recipient_id: recipient.id, note: null });
      insideTx = wakes;
    });
    expect(insideTx).toBe(before);
    expect(wakes).toBeGreaterThan(before);
  });

  it('wakes it when a message queues its recipient\'s digest', async () => {
    const a = await makeMember(t.ctx, 'Wake A');
    const b = await makeMember(t.ctx, 'Wake B');
    await t.ctx.invitations.send(a.id, b.id, undefined);
    const inv = (await t.ctx.invitations.listReceived(b.id, 'inbox', undefined, 1)).items[0];
    if (!inv) throw new Error('no invitation');
    await t.ctx.invitations.accept(b.id, inv.id);
    const { conversation } = await t.ctx.messaging.start(a.id, b.id);
    const before = wakes;
    await t.ctx.messaging.post(a.id, conversation.id, 'hello');
    // The message's digest job is its only enqueue: no email is written at once.
    expect(wakes).toBe(before + 1);
  });
});
