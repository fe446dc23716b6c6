/**
 * A few weeks of life for the demo account, played through the real services so every rule holds
 * (limits, notifications, emails, the reply thread, privacy): invitations waiting in its inbox, a
 * few it ignored (Archived), some it sent that are still pending and two that were accepted,
 * conversations with its connections (some unread), and the notifications all of that leaves.
 *
 * With a `TimeMachine` (the server's clock), each event happens at its own moment in the past and
 * the clock resumes afterwards, so the pages show "3 days ago", not "just now"; without one, all
 * of it happens now. Nothing here writes a table directly.
 */
import { DAY_MS } from '../server/clock.js';
import type { AppContext } from '../server/context.js';
import { pick, prng, type Random } from './prng.js';

export interface TimeMachine {
  /** From now on the clock reads `at` (and runs on from there). */
  set(at: Date): void;
  /** Back to the real time. */
  resume(): void;
}

const HOUR_MS = 3_600_000;

const INVITE_NOTES = [
  'Hi! We met at the product meetup last month. Would be great to stay in touch.',
  'I enjoyed your talk on hiring. Let us connect!',
  'We seem to know a lot of the same people: happy to connect.',
  null,
  'Hello, I am building a team in your area and would value your perspective.',
  null,
];
const DEMO_NOTE = 'Hi! I would like to add you to my network.';

/** Each conversation: who speaks (t = them, d = the demo), what, and how long ago in hours. */
const CONVERSATIONS: Array<Array<[who: 't' | 'd', body: string, hoursAgo: number]>> = [
  [
    ['t', 'Hey! Are you still looking for someone to help with the Q3 launch?', 30],
    ['d', 'Yes, we are. Do you know someone?', 29],
    ['t', 'My former colleague might be a great fit. Want an intro?', 3],
    ['t', 'She is free for a call on Thursday.', 2],
  ],
  [
    ['d', 'Thanks again for the coffee last week.', 80],
    ['t', 'Anytime! Here are the slides I mentioned.', 20],
  ],
  [
    ['t', 'Congratulations on the new role!', 200],
    ['d', 'Thank you! Still settling in.', 190],
  ],
  [
    ['t', 'Quick question: who ran the analytics workshop at your company?', 50],
    ['d', 'That was our data team. I can put you in touch.', 48],
    ['t', 'That would be great, thank you.', 47],
  ],
];

export interface DemoLife {
  received: number;
  archived: number;
  sent: number;
  accepted: number;
  conversations: number;
}

export async function seedDemoLife(ctx: AppContext, demoId: string, opts: { seed: number; clock?: TimeMachine }): Promise<DemoLife> {
  const rnd = prng(opts.seed + 101);
  const now = ctx.clock.now().getTime();
  const at = (msAgo: number) => opts.clock?.set(new Date(now - msAgo));
  const { friends, strangers } = await neighbourhood(ctx, demoId);
  const take = (n: number) => strangers.splice(0, n);
  const life: DemoLife = { received: 0, archived: 0, sent: 0, accepted: 0, conversations: 0 };
  try {
    // Ignored three weeks ago: the Archived folder.
    for (const [i, who] of take(3).entries()) {
      at((21 - i) * DAY_MS);
      const { result } = await ctx.invitations.send(who, demoId, pick(rnd, INVITE_NOTES) ?? undefined);
      if (result.outcome !== 'sent') continue;
      at((20 - i) * DAY_MS);
      await ctx.invitations.ignore(demoId, result.invitation.id);
      life.archived++;
    }
    // Sent by the demo: two accepted within a day, the rest still pending.
    for (const [i, who] of take(6).entries()) {
      const sentAgo = (12 - i * 2) * DAY_MS + hours(rnd);
      at(sentAgo);
      const { result } = await ctx.invitations.send(demoId, who, i % 2 === 0 ? DEMO_NOTE : undefined);
      if (result.outcome !== 'sent') continue;
      if (i < 2) {
        at(sentAgo - 20 * HOUR_MS);
        await ctx.invitations.accept(who, result.invitation.id);
        life.accepted++;
      } else life.sent++;
    }
    // Waiting in the inbox, from two weeks ago to this morning.
    for (const [i, who] of take(6).entries()) {
      at(Math.max(1, 14 - i * 3) * DAY_MS - hours(rnd));
      const { result } = await ctx.invitations.send(who, demoId, pick(rnd, INVITE_NOTES) ?? undefined);
      if (result.outcome === 'sent') life.received++;
    }
    // Conversations with connections; the ones whose last word is theirs are unread.
    for (const [k, script] of CONVERSATIONS.entries()) {
      const friend = friends[k];
      if (!friend) break;
      const first = script[0];
      if (!first) continue;
      at(first[2] * HOUR_MS);
      const { conversation } = await ctx.messaging.start(first[0] === 'd' ? demoId : friend, first[0] === 'd' ? friend : demoId);
      for (const [who, body, hoursAgo] of script) {
        at(hoursAgo * HOUR_MS);
        await ctx.messaging.post(who === 'd' ? demoId : friend, conversation.id, body);
      }
      life.conversations++;
    }
    // The demo has seen what is older than two days.
    at(2 * DAY_MS);
    const seen = await ctx.notifications.list(demoId, true, undefined, 100);
    const old = seen.items.filter((n) => Date.parse(n.updatedAt) < now - 2 * DAY_MS).map((n) => n.id);
    if (old.length > 0) await ctx.notifications.markRead(demoId, old);
  } finally {
    opts.clock?.resume();
  }
  return life;
}

/** A few hours' jitter, so the times are not all on the hour. */
function hours(rnd: Random): number {
  return Math.floor(rnd() * 8 * HOUR_MS);
}

/**
 * The demo's connections with the most connections of their own (they make the best-looking
 * conversations), and members with no tie and no invitation either way, in a stable order.
 */
async function neighbourhood(ctx: AppContext, demoId: string): Promise<{ friends: string[]; strangers: string[] }> {
  const db = ctx.database.db;
  const connected = await db.selectFrom('connections').select('other_id').where('member_id', '=', demoId).execute();
  const known = new Set(connected.map((c) => c.other_id));
  const invited = await db.selectFrom('invitations').select(['sender_id', 'recipient_id']).where((eb) => eb.or([eb('sender_id', '=', demoId), eb('recipient_id', '=', demoId)])).execute();
  for (const i of invited) known.add(i.sender_id === demoId ? i.recipient_id : i.sender_id);
  const others = await db.selectFrom('members').select('id').where('id', '!=', demoId).where('role', '=', 'member').orderBy('id').limit(known.size + 60).execute();
  const friends = connected.map((c) => c.other_id).sort();
  return { friends, strangers: others.map((m) => m.id).filter((id) => !known.has(id)).slice(0, 20) };
}
