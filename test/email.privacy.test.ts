/**
 * Sender privacy, extended to email and notifications (PRODUCT.md §2): random histories replayed in
 * two worlds on fresh members. In world 1 the recipients ignore or say "I don't know" at some
 * points; in world 2 they do nothing instead; everything else — sends (re-invites after a withdraw
 * and its cooldown included), accepts (after the ignore in world 1, after nothing in world 2),
 * replies, withdraws, clock moves through reminder days, digests, the cooldown and expiry — is the
 * same, and the worker runs after every step. The sender's email stream (every email to their
 * address: category, subject, both bodies, list headers, state and times) and their notifications
 * must be identical once ids, times and signed tokens are normalised.
 *
 * Runs: 200 per dialect (RAPPORT_PROPERTY_RUNS overrides).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker, scheduleRecurring } from '../src/server/context.jobs.js';
import { createCrew, DAY, fcParameters, HOUR, Normaliser, relaxDurability, relaxPostgresDurability, runsFromEnv, T0, type Member } from './_model.js';
import { createTestApp, dialects, type TestApp } from './_util.js';

relaxPostgresDurability();

const RUNS = runsFromEnv(200, 200);
const MINUTE = 60_000;

type Target = 1 | 2;
type Cmd =
  | { kind: 'send'; to: Target; note: boolean }
  | { kind: 'quiet'; action: 'ignore' | 'idk'; to: Target }
  | { kind: 'accept' | 'reply' | 'withdraw' | 'read'; to: Target }
  | { kind: 'advance'; ms: number };

const target = fc.oneof({ arbitrary: fc.constant<Target>(1), weight: 4 }, { arbitrary: fc.constant<Target>(2), weight: 1 });
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('send' as const), to: target, note: fc.boolean() }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('quiet' as const), action: fc.constantFrom('ignore' as const, 'idk' as const), to: target }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('accept' as const), to: target }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constantFrom('reply' as const, 'withdraw' as const, 'read' as const), to: target }), weight: 4 },
  {
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      // A digest's wait, an hour (the reminder scan), reminder days, the re-invite cooldown, expiry.
      ms: fc.constantFrom(16 * MINUTE, HOUR, 3 * DAY, 11 * DAY, 21 * DAY + HOUR, 180 * DAY),
    }),
    weight: 4,
  },
);
const historyArb = fc
  .tuple(fc.record({ kind: fc.constant('send' as const), to: target, note: fc.boolean() }), fc.array(cmdArb, { minLength: 3, maxLength: 14 }))
  .map(([first, rest]): Cmd[] => [first, ...rest]);

const TOKENS = /(unsubscribe\?token=)[^\s"'<>&]+/g;

interface World {
  trace: string[];
}

describe.each(dialects)('sender privacy in email and notifications [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    await relaxDurability(t);
  });
  afterAll(() => t.close());

  const stats = new Map<string, number>();
  const count = (label: string) => stats.set(label, (stats.get(label) ?? 0) + 1);

  /** Everything the sender (member 0) can see of emails and notifications, normalised. */
  async function observe(crew: Member[], norm: Normaliser, label: string, world: World, seen: Set<string>): Promise<void> {
    const sender = crew[0];
    if (!sender) return;
    const rows = await t.ctx.database.db.selectFrom('emails').selectAll().where('to_address', '=', sender.email).orderBy('created_at').orderBy('id').execute();
    for (const r of rows) {
      const state = `${r.id}:${r.sent_at ?? ''}:${r.skipped_reason ?? ''}`;
      if (seen.has(state)) continue;
      seen.add(state);
      const email = {
        category: r.category,
        subject: r.subject,
        text: r.text_body.replace(TOKENS, '$1<token>'),
        html: r.html_body.replace(TOKENS, '$1<token>'),
        headers: Object.fromEntries(Object.entries(t.ctx.mailer.headersFor(r)).map(([k, v]) => [k, v.replace(TOKENS, '$1<token>')])),
        messageId: r.message_id,
        createdAt: r.created_at,
        sentAt: r.sent_at,
        skipped: r.skipped_reason,
      };
      world.trace.push(`${label} email ${JSON.stringify(norm.value(email))}`);
    }
    for (const url of ['/api/notifications?limit=100', '/api/notifications/unread-count']) {
      const res = await t.app.inject({ method: 'GET', url, headers: sender.headers });
      world.trace.push(`${label} ${url} → ${norm.response(res)}`);
    }
  }

  /**
   * Each pair of worlds starts on a fresh stretch of time, a year past where the last one ended.
   * All worlds share one database; replayed from one T0, every scheduled safety evaluation would
   * find the senders of every earlier world inside its window and evaluate them all again.
   */
  let epoch = T0;
  const GAP = 365 * DAY;

  async function play(commands: Cmd[], quiet: boolean, start: number): Promise<World> {
    t.clock.set(new Date(start));
    // The recurring jobs (reminder scan, expiry sweep) start afresh with each world's clock.
    await t.ctx.database.db.deleteFrom('jobs').where('key', 'like', 'cron:%').where('state', '=', 'queued').execute();
    await scheduleRecurring(t.ctx);
    const crew = await createCrew(t, 3);
    const norm = new Normaliser(crew, start);
    const world: World = { trace: [] };
    const seen = new Set<string>();
    const latest = new Map<Target, { id: string; quieted: boolean }>();
    const conversations = new Map<Target, string>();
    const worker = createWorker(t.ctx);
    const as = (m: Member | undefined, method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: m?.headers ?? {}, ...(payload !== undefined && { payload }) });
    for (const [k, cmd] of commands.entries()) {
      const label = `#${k} ${cmd.kind}`;
      const recipient = 'to' in cmd ? crew[cmd.to] : undefined;
      const inv = 'to' in cmd ? latest.get(cmd.to) : undefined;
      switch (cmd.kind) {
        case 'send': {
          const res = await as(crew[0], 'POST', '/api/invitations', { recipientId: recipient?.id, ...(cmd.note && { note: 'Met at <b>DevConf</b> & liked "it"' }) });
          world.trace.push(`${label} → ${norm.response(res)}`);
          const body = res.json<{ outcome?: string; invitation?: { id: string } }>();
          if (res.statusCode === 201 && body.invitation) {
            if (quiet && inv?.quieted) count('reinvite-after-quiet');
            latest.set(cmd.to, { id: body.invitation.id, quieted: false });
          }
          break;
        }
        case 'quiet': {
          if (!quiet || !inv) break;
          const res = await as(recipient, 'POST', `/api/invitations/${inv.id}/${cmd.action}`);
          if (res.statusCode === 200) {
            inv.quieted = true;
            count(`quiet:${cmd.action}`);
          }
          break;
        }
        case 'accept':
        case 'withdraw': {
          if (!inv) break;
          const actor = cmd.kind === 'withdraw' ? crew[0] : recipient;
          const res = await as(actor, 'POST', `/api/invitations/${inv.id}/${cmd.kind}`);
          // The recipient's own answer may legitimately differ (its folder); only the outcome must not.
          world.trace.push(`${label} → ${cmd.kind === 'withdraw' ? norm.response(res) : res.statusCode}`);
          if (quiet && inv.quieted && res.statusCode === 200) count(`${cmd.kind}-after-quiet`);
          break;
        }
        case 'reply': {
          if (!inv) break;
          const res = await as(recipient, 'POST', `/api/invitations/${inv.id}/replies`, { body: 'Hello <there> & welcome' });
          world.trace.push(`${label} → ${res.statusCode}`);
          if (res.statusCode === 201) conversations.set(cmd.to, res.json<{ conversationId: string }>().conversationId);
          if (quiet && inv.quieted && res.statusCode === 201) count('reply-after-quiet');
          break;
        }
        case 'read': {
          const conv = conversations.get(cmd.to);
          if (conv) world.trace.push(`${label} → ${(await as(crew[0], 'POST', `/api/conversations/${conv}/read`)).statusCode}`);
          break;
        }
        case 'advance':
          t.clock.advance(cmd.ms);
          if (quiet && cmd.ms >= 180 * DAY && [...latest.values()].some((i) => i.quieted)) count('expiry-after-quiet');
          break;
      }
      await worker.runDue();
      await observe(crew, norm, label, world, seen);
    }
    return world;
  }

  it("keeps the sender's emails and notifications identical whether the recipient ignored, said IDK, or did nothing", async () => {
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(historyArb, async (commands) => {
        fc.pre(commands.some((c) => c.kind === 'quiet'));
        const start = epoch;
        const one = await play(commands, true, start);
        const ended = t.clock.now().getTime();
        const two = await play(commands, false, start);
        epoch = Math.max(ended, t.clock.now().getTime()) + GAP;
        const k = one.trace.findIndex((line, i) => line !== two.trace[i]);
        if (k >= 0 || one.trace.length !== two.trace.length) {
          const at = k >= 0 ? k : Math.min(one.trace.length, two.trace.length);
          throw new Error(`the sender can tell the worlds apart at ${at}:\n  recipient acted:  ${one.trace[at] ?? '(nothing)'}\n  recipient silent: ${two.trace[at] ?? '(nothing)'}`);
        }
        if (one.trace.some((l) => l.includes(' email '))) count('sender-got-email');
      }),
      fcParameters(RUNS),
    );
    console.info(`[${dialect}] ${RUNS} email privacy runs in ${((performance.now() - started) / 1000).toFixed(1)} s`, Object.fromEntries(stats));
    if (RUNS >= 200) {
      for (const label of ['quiet:ignore', 'quiet:idk', 'accept-after-quiet', 'withdraw-after-quiet', 'reply-after-quiet', 'expiry-after-quiet', 'reinvite-after-quiet', 'sender-got-email']) {
        expect(stats.get(label) ?? 0, label).toBeGreaterThan(0);
      }
    }
  }, 900_000);
});
