/**
 * Issue 15, defect 9: every committed message is in exactly one new-message digest, whatever the
 * order in which message transactions commit relative to their clock readings. The digest used to
 * follow a cursor on `messages.created_at`, the clock at the start of the message's transaction:
 * a message committed behind a cursor that a digest had already moved past was never mailed.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker } from '../src/server/context.jobs.js';
import { makeMember } from './_factories.js';
import { messagingApi } from './_messaging.js';
import { createTestApp, dialects, type Session, type TestApp } from './_util.js';

const DIGEST_WAIT_MS = 16 * 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(dialects)('new-message digests follow commits, not clocks [%s]', (dialect) => {
  let t: TestApp;
  let call: ReturnType<typeof messagingApi>;
  beforeAll(async () => {
    t = await createTestApp(dialect, { PUBLIC_URL: 'https://rapport.test' });
    call = messagingApi(t.app);
  });
  afterAll(() => t.close());

  /** A recipient and two connections of theirs, each with a conversation open to them. */
  async function threeMembers() {
    const ada = await makeMember(t.ctx, 'Ada Byron');
    const bob = await makeMember(t.ctx, 'Bob Stone');
    const cy = await makeMember(t.ctx, 'Cy Young');
    await call.connect(bob, ada);
    await call.connect(cy, ada);
    const fromBob = (await t.ctx.messaging.start(bob.id, ada.id)).conversation.id;
    const fromCy = (await t.ctx.messaging.start(cy.id, ada.id)).conversation.id;
    return { ada, bob, cy, fromBob, fromCy };
  }
  /** The message ids of every digest email written for `member`, in the order written. */
  async function digested(member: Session): Promise<string[][]> {
    const rows = await t.ctx.database.db.selectFrom('emails').select(['context']).where('member_id', '=', member.id).where('kind', '=', 'message-digest').orderBy('id').execute();
    return rows.map((r) => (JSON.parse(r.context ?? '{}') as { messageIds: string[] }).messageIds);
  }
  const runDigests = async () => {
    t.clock.advance(DIGEST_WAIT_MS);
    await createWorker(t.ctx).runDue();
  };

  it('digests a message whose clock reading is behind that of a message already digested', async () => {
    const { ada, bob, cy, fromBob, fromCy } = await threeMembers();
    const start = t.clock.now().getTime();
    t.clock.set(new Date(start + 5000));
    const late = await t.ctx.messaging.post(cy.id, fromCy, 'Stored second, by a server whose clock is 5 s ahead');
    await runDigests();
    expect(await digested(ada)).toEqual([[late.id]]);
    // Another server, 4 s behind the first one, stores a message after that digest ran.
    t.clock.set(new Date(start + 1000));
    const early = await t.ctx.messaging.post(bob.id, fromBob, 'Stored after the digest, with an earlier clock reading');
    expect(early.createdAt < late.createdAt).toBe(true);
    t.clock.set(new Date(start + DIGEST_WAIT_MS));
    await runDigests();
    expect(await digested(ada)).toEqual([[late.id], [early.id]]);
    await runDigests();
    expect(await digested(ada)).toHaveLength(2);
  });

  it.runIf(dialect === 'postgres')('digests a message whose transaction began before, and committed after, a digest that ran in between', async () => {
    const { ada, bob, cy, fromBob, fromCy } = await threeMembers();
    // Another connection holds Bob's conversation row: Bob's message transaction stores the message
    // (its created_at is the clock now) and then waits on that row, uncommitted.
    const blocker = new pg.Client({ connectionString: t.config.DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('select id from conversations where id = $1 for update', [fromBob]);
      const slow = t.ctx.messaging.post(bob.id, fromBob, 'Begun first, committed last');
      await waitForLockWaiter(blocker);
      t.clock.advance(1000);
      const fast = await t.ctx.messaging.post(cy.id, fromCy, 'Begun second, committed first');
      await runDigests();
      expect(await digested(ada)).toEqual([[fast.id]]);
      await blocker.query('commit');
      const message = await slow;
      expect(message.createdAt < (await createdAtOf(t, fast.id))).toBe(true);
      await runDigests();
      expect(await digested(ada)).toEqual([[fast.id], [message.id]]);
    } finally {
      await blocker.end();
    }
  });
});

/** Wait until some backend of this database waits for a lock (the stalled message transaction). */
async function waitForLockWaiter(client: pg.Client): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = await client.query("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
    if ((r.rows[0] as { n: number }).n > 0) return;
    await sleep(10);
  }
  throw new Error('the message transaction never waited for the lock');
}

async function createdAtOf(t: TestApp, messageId: string): Promise<string> {
  const row = await t.ctx.database.db.selectFrom('messages').select('created_at').where('id', '=', messageId).executeTakeFirstOrThrow();
  return row.created_at;
}
