/**
 * Writes the generated network (see `buildNetwork`). Two paths, one shape:
 * - history (below LARGE members, and always for the demo): every connection is backed by an
 *   accepted invitation with its `sent` and `accepted` events and often a note, through Kysely, as
 *   if it had happened in the product (the demo account's recent life is seed-life.ts's);
 * - bulk (LARGE members and up): the connection rows only, in primary-key order through `BulkLoad`
 *   (seed-bulk.ts), with `invitation_id` set to SEEDED_INVITATION. At a million members one
 *   invitation row per connection would take 50 million rows and about 70 GB; see docs/seed.md.
 * In both, a pair's dates are the same, and in the history path the member who joined later (the
 * higher index) sent the invitation.
 */
import { SingleBar, Presets } from 'cli-progress';
import { DAY_MS } from '../server/clock.js';
import type { AppContext } from '../server/context.js';
import type { Executor } from '../server/db/database.js';
import { newId } from '../server/ids.js';
import { SEEDED_INVITATION, type ConnectionTable } from '../server/modules/connections/index.js';
import { pairKey, type InvitationEventTable, type InvitationTable } from '../server/modules/invitations/index.js';
import { hash01, pick, prng } from './prng.js';
import { BulkLoad } from './seed-bulk.js';
import { buildNetwork, type Network, type SeededMember } from './seed-data.js';

export type { SeededMember } from './seed-data.js';

/** From this many members a seed takes the bulk path (members and network). */
export const LARGE = 20_000;

const NOTES = [
  'Great meeting you at the conference last week. Would love to stay in touch.',
  'I enjoyed your post on hiring. Let us connect!',
  'We were at the same school: would be good to connect.',
  'Hi! I am building a team in your area and would value your perspective.',
  null,
  null,
];
const CHUNK = 400;

export async function seedNetwork(ctx: AppContext, members: SeededMember[], opts: { seed: number; avgDegree: number; demo?: boolean }) {
  const large = members.length >= LARGE && !opts.demo;
  const stage = large ? new Stage('network', members.length) : undefined;
  const network = buildNetwork(members, { ...opts, maxDegree: ctx.config.CONNECTION_LIMIT, onProgress: (i) => stage?.update(i) });
  stage?.done(`${count(network.connections)} connections drawn, at most ${count(maxDegree(network))} for one member`);
  const dates = new PairDates(ctx.clock.now().getTime(), opts.seed);
  if (large) await writeBulk(ctx, members, network, dates);
  else await writeHistory(ctx, members, network, dates, opts);
  return { connections: network.connections };
}

/** A progress bar on stderr that ends in one line: what was done, and in how long. */
export class Stage {
  private readonly started = performance.now();
  private readonly bar: SingleBar;

  constructor(
    private readonly name: string,
    total: number,
  ) {
    this.bar = new SingleBar({ format: `${name.padEnd(11)} [{bar}] {percentage}% {value}/{total} {eta_formatted}`, etaBuffer: 50 }, Presets.shades_classic);
    this.bar.start(total, 0);
  }

  update(value: number): void {
    this.bar.update(value);
  }

  advance(by: number): void {
    this.bar.increment(by);
  }

  done(what: string): void {
    this.bar.stop();
    log(`${this.name}: ${what} in ${((performance.now() - this.started) / 1000).toFixed(1)} s`);
  }
}

const log = (line: string) => void process.stderr.write(`${line}\n`);
const count = (n: number) => n.toLocaleString('en');

/** When a pair connected, the same from both sides: sent 1 to 900 days ago, accepted within 10 days, mostly at once. */
class PairDates {
  private static readonly SLOT_MS = 15 * 60_000;
  private static readonly PER_DAY = DAY_MS / PairDates.SLOT_MS;
  private readonly iso: string[] = []; // iso[k]: k slots before now

  constructor(
    now: number,
    private readonly seed: number,
  ) {
    for (let k = 0; k <= 901 * PairDates.PER_DAY; k++) this.iso.push(new Date(now - k * PairDates.SLOT_MS).toISOString());
  }

  sentSlot(a: number, b: number): number {
    return Math.floor(PairDates.PER_DAY * (1 + 900 * hash01(this.seed, a, b)));
  }

  acceptedSlot(sent: number, a: number, b: number): number {
    return Math.max(0, sent - Math.floor(PairDates.PER_DAY * 10 * hash01(this.seed + 1, a, b) ** 4));
  }

  at(slot: number): string {
    return this.iso[slot] as string;
  }
}

async function writeHistory(ctx: AppContext, members: SeededMember[], network: Network, dates: PairDates, opts: { seed: number }) {
  const rnd = prng(opts.seed + 11);
  const invitations: InvitationTable[] = [];
  const connections: ConnectionTable[] = [];
  const events: InvitationEventTable[] = [];
  const accepted = (id: string, from: string, to: string, sentAt: string, closedAt: string, note: string | null): InvitationTable => ({
    id,
    sender_id: from,
    recipient_id: to,
    pair_key: pairKey(from, to),
    note,
    status: 'accepted',
    idk: 0,
    spam: 0,
    created_at: sentAt,
    expires_at: new Date(Date.parse(sentAt) + ctx.config.INVITE_EXPIRY_DAYS * DAY_MS).toISOString(),
    ignored_at: null,
    closed_at: closedAt,
  });
  forEachPair(network, (a, b) => {
    const recipient = (members[a] as SeededMember).id;
    const sender = (members[b] as SeededMember).id;
    const sent = dates.sentSlot(a, b);
    const sentAt = dates.at(sent);
    const acceptedAt = dates.at(dates.acceptedSlot(sent, a, b));
    const id = newId();
    invitations.push(accepted(id, sender, recipient, sentAt, acceptedAt, pick(rnd, NOTES)));
    connections.push({ member_id: recipient, other_id: sender, invitation_id: id, created_at: acceptedAt });
    connections.push({ member_id: sender, other_id: recipient, invitation_id: id, created_at: acceptedAt });
    events.push(event(id, sender, 'sent', sentAt), event(id, recipient, 'accepted', acceptedAt));
  });

  await insertAll(ctx, invitations, (db, chunk) => db.insertInto('invitations').values(chunk).execute());
  await insertAll(ctx, connections, (db, chunk) => db.insertInto('connections').values(chunk).execute());
  await insertAll(ctx, events, (db, chunk) => db.insertInto('invitation_events').values(chunk).execute());
}

function maxDegree(network: Network): number {
  let max = 0;
  for (let i = 0; i + 1 < network.offsets.length; i++) max = Math.max(max, (network.offsets[i + 1] as number) - (network.offsets[i] as number));
  return max;
}

/** Calls `fn(a, b)` once per connection, a < b, in (a, b) order. */
function forEachPair(network: Network, fn: (a: number, b: number) => void) {
  const n = network.offsets.length - 1;
  for (let a = 0; a < n; a++) {
    for (let k = network.offsets[a] as number; k < (network.offsets[a + 1] as number); k++) {
      const b = network.neighbors[k] as number;
      if (b > a) fn(a, b);
    }
  }
}

function event(invitationId: string, actorId: string, action: InvitationEventTable['action'], at: string): InvitationEventTable {
  return { id: newId(), invitation_id: invitationId, actor_id: actorId, action, at };
}

/** Rows in one transaction per 4,000, one INSERT per 400: fast on both dialects, within bind limits. */
async function insertAll<R>(ctx: AppContext, rows: R[], insert: (db: Executor, chunk: R[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK * 10) {
    await ctx.database.transaction(async (tx) => {
      for (let k = i; k < Math.min(rows.length, i + CHUNK * 10); k += CHUNK) await insert(tx.db, rows.slice(k, k + CHUNK));
    });
  }
}

/**
 * Both connection rows of every pair, member by member in id order, so the primary key and
 * `connections_recent` grow at their right edge. No invitation rows: see SEEDED_INVITATION.
 */
async function writeBulk(ctx: AppContext, members: SeededMember[], network: Network, dates: PairDates) {
  const ids = members.map((m) => m.id);
  const stage = new Stage('connections', network.connections * 2);
  await BulkLoad.run(ctx, [], async (load) => {
    const connections = await load.table<ConnectionTable>('connections', ['member_id', 'other_id', 'invitation_id', 'created_at']);
    for (let m = 0; m < ids.length; m++) {
      const self = ids[m] as string;
      for (let k = network.offsets[m] as number; k < (network.offsets[m + 1] as number); k++) {
        const other = network.neighbors[k] as number;
        const [a, b] = other > m ? [m, other] : [other, m];
        const createdAt = dates.at(dates.acceptedSlot(dates.sentSlot(a, b), a, b));
        connections.add({ member_id: self, other_id: ids[other] as string, invitation_id: SEEDED_INVITATION, created_at: createdAt });
      }
      if (m % 1000 === 0) {
        await load.drain();
        stage.update(network.offsets[m] as number);
      }
    }
    await load.drain(true);
    stage.done(`${count(network.connections * 2)} connection rows written`);
  });
}
