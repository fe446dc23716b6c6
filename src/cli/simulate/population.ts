/**
 * The simulated network: generated members and connections (the same generator as `rapport seed`),
 * the acquaintance structure read from their profiles, and who plays which sender role.
 *
 * Two members know each other ("have a tie") when they share a current or past employer, a school,
 * or a community (same industry and location), or are within 2 hops in the seeded connections.
 * The relation is symmetric, so it serves both the sender's choice and the recipient's answer.
 */
import type { AppContext } from '../../server/context.js';
import type { Random } from '../prng.js';
import { seedMembers } from '../seed.js';
import { seedNetwork } from '../seed-network.js';
import { DAY_MS } from '../../server/clock.js';
import { shuffle, uniform } from './events.js';
import { isSpammer, type BehaviourModel, type SenderKind } from './model.js';

export interface Sender {
  index: number;
  kind: SenderKind;
  tieShare: number;
  perWeek: number;
  /** Members this sender has a tie to (connected ones included), as indices. */
  ties: Set<number>;
  tieList: number[];
  /** Members already invited by this sender in the run: nobody is invited twice. */
  invited: Set<number>;
  /** Told it must give recipients' emails: until then it invites only people whose email it knows. */
  tiesOnlyUntil: number;
  /** A newcomer's first week ends then, and it sends at `later` from then on. */
  settles?: { at: number; tieShare: number; perWeek: number };
}

export interface Population {
  ids: string[];
  emails: string[];
  /** Pair keys "i:j" (i < j) of connected members; grows as invitations are accepted. */
  connected: Set<string>;
  senders: Sender[];
  /** Sender by member index. */
  bySender: Map<number, Sender>;
  adminId: string;
}

export const pair = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);

export function memberId(pop: Population, index: number): string {
  const id = pop.ids[index];
  if (id === undefined) throw new Error(`no simulated member ${index}`);
  return id;
}

export async function buildPopulation(ctx: AppContext, rnd: Random, opts: { members: number; seed: number }, model: BehaviourModel): Promise<Population> {
  const seeded = await seedMembers(ctx, { members: opts.members, seed: opts.seed });
  await seedNetwork(ctx, seeded, { seed: opts.seed, avgDegree: model.avgDegree });
  const index = new Map(seeded.map((m, i) => [m.id, i]));
  const ids = seeded.map((m) => m.id);

  const db = ctx.database.db;
  const rows = await db.selectFrom('members').select(['id', 'email', 'industry', 'location']).execute();
  const emails: string[] = new Array<string>(ids.length).fill('');
  const groups = new Map<string, number[]>();
  const memberGroups: string[][] = ids.map(() => []);
  const join = (i: number | undefined, key: string) => {
    if (i === undefined) return;
    const g = groups.get(key) ?? [];
    if (g[g.length - 1] !== i) g.push(i);
    groups.set(key, g);
    const mine = memberGroups[i] as string[];
    if (!mine.includes(key)) mine.push(key);
  };
  for (const r of rows) {
    const i = index.get(r.id);
    if (i === undefined) continue;
    emails[i] = r.email;
    join(i, `community:${r.industry}|${r.location}`);
  }
  for (const p of await db.selectFrom('positions').select(['member_id', 'company']).execute()) join(index.get(p.member_id), `employer:${p.company}`);
  for (const e of await db.selectFrom('educations').select(['member_id', 'school']).execute()) join(index.get(e.member_id), `school:${e.school}`);

  const adjacency: number[][] = ids.map(() => []);
  const connected = new Set<string>();
  for (const c of await db.selectFrom('connections').select(['member_id', 'other_id']).execute()) {
    const a = index.get(c.member_id);
    const b = index.get(c.other_id);
    if (a === undefined || b === undefined) continue;
    (adjacency[a] as number[]).push(b);
    connected.add(pair(a, b));
  }

  const order = shuffle(rnd, ids.map((_, i) => i));
  const spammers = Math.round(opts.members * model.spammerShare);
  const honest = Math.round(opts.members * model.honestShare);
  const careful = Math.round(spammers * model.carefulShare);
  const sloppy = Math.round(honest * model.sloppyShare);
  const senders: Sender[] = [];
  order.slice(0, spammers + honest).forEach((i, k) => {
    const kind: SenderKind = k < careful ? 'careful' : k < spammers ? 'spammer' : k < spammers + sloppy ? 'sloppy' : 'honest';
    const profile = model.senders[kind];
    const ties = tiesOf(i, memberGroups, groups, adjacency);
    senders.push({
      index: i,
      kind,
      tieShare: profile.tieShare,
      perWeek: uniform(rnd, profile.perWeek.min, profile.perWeek.max),
      ties,
      tieList: [...ties],
      invited: new Set(),
      tiesOnlyUntil: 0,
    });
  });

  // The seeded members joined long before the run (their connections already exist); only newcomers are new accounts.
  const start = ctx.clock.now().getTime();
  await db.updateTable('members').set({ created_at: new Date(start - 365 * DAY_MS).toISOString() }).execute();
  senders.push(...(await signUpNewcomers(ctx, rnd, opts, model, { ids, emails, memberGroups, groups, adjacency }, start)));

  const adminEmail = await ctx.auth.createAdmin({ email: `moderator.${opts.seed}@rapport.test`, password: 'simulation-moderator', fullName: 'Simulation Moderator' });
  const admin = await db.selectFrom('members').select('id').where('email', '=', adminEmail).executeTakeFirstOrThrow();
  return { ids, emails, connected, senders, bySender: new Map(senders.map((s) => [s.index, s])), adminId: admin.id };
}

/**
 * Newcomers sign up through the real signup path, with an empty profile and no connections: the
 * graph sees no tie to anyone. Each knows one seeded member's circle (as a new colleague would:
 * that member and everyone tied to them), and they know it back.
 */
async function signUpNewcomers(
  ctx: AppContext,
  rnd: Random,
  opts: { members: number; seed: number },
  model: BehaviourModel,
  net: { ids: string[]; emails: string[]; memberGroups: string[][]; groups: Map<string, number[]>; adjacency: number[][] },
  start: number,
): Promise<Sender[]> {
  const out: Sender[] = [];
  const seeded = net.ids.length;
  const count = Math.round(opts.members * model.newcomerShare);
  for (let k = 0; k < count; k++) {
    const email = `newcomer.${opts.seed}.${k}@rapport.test`;
    await ctx.auth.signup({ email, password: 'simulation-newcomer', fullName: `New Member ${k + 1}` });
    const row = await ctx.database.db.selectFrom('members').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const index = net.ids.length;
    net.ids.push(row.id);
    net.emails.push(email);
    const origin = Math.floor(rnd() * seeded);
    const ties = tiesOf(origin, net.memberGroups, net.groups, net.adjacency);
    ties.add(origin);
    const first = model.senders.newcomer;
    out.push({
      index,
      kind: 'newcomer',
      tieShare: first.tieShare,
      perWeek: uniform(rnd, first.perWeek.min, first.perWeek.max),
      ties,
      tieList: [...ties],
      invited: new Set(),
      tiesOnlyUntil: 0,
      settles: { at: start + 7 * DAY_MS, tieShare: model.newcomerLater.tieShare, perWeek: uniform(rnd, model.newcomerLater.perWeek.min, model.newcomerLater.perWeek.max) },
    });
  }
  return out;
}

function tiesOf(i: number, memberGroups: string[][], groups: Map<string, number[]>, adjacency: number[][]): Set<number> {
  const ties = new Set<number>();
  for (const key of memberGroups[i] ?? []) for (const j of groups.get(key) ?? []) ties.add(j);
  for (const j of adjacency[i] ?? []) {
    ties.add(j);
    for (const k of adjacency[j] ?? []) ties.add(k);
  }
  ties.delete(i);
  return ties;
}

export function populationCounts(pop: Population) {
  const count = (k: SenderKind) => pop.senders.filter((s) => s.kind === k).length;
  return {
    members: pop.ids.length - count('newcomer'),
    honest: count('honest') + count('sloppy'),
    sloppy: count('sloppy'),
    spammers: pop.senders.filter((s) => isSpammer(s.kind)).length,
    careful: count('careful'),
    newcomers: count('newcomer'),
    meanTieShareOfNetwork: mean(pop.senders.filter((s) => s.kind !== 'newcomer').map((s) => s.ties.size / Math.max(1, pop.ids.length - 1))),
  };
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
