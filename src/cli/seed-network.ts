/**
 * Connections and invitations between generated members, with real structure: people mostly know
 * colleagues (current and past employers), classmates and people in their city, and a few members
 * are hubs. Every connection is backed by an accepted invitation with its events, as if it had
 * happened through the product. The demo account also gets pending invitations in its inbox,
 * archived ones, and pending sent ones.
 */
import { DAY_MS } from '../server/clock.js';
import type { AppContext } from '../server/context.js';
import type { Executor } from '../server/db/database.js';
import { newId } from '../server/ids.js';
import type { ConnectionTable, InvitationEventTable, InvitationTable } from '../server/modules/invitations/invitation.table.js';
import { pairKey } from '../server/modules/invitations/invitation.repository.js';
import { prng, type Random } from './prng.js';

const NOTES = [
  'Great meeting you at the conference last week. Would love to stay in touch.',
  'I enjoyed your post on hiring. Let us connect!',
  'We were at the same school: would be good to connect.',
  'Hi! I am building a team in your area and would value your perspective.',
  null,
  null,
];
const CHUNK = 400;

/** What the network builder needs to know about a generated member. */
export interface SeededMember {
  id: string;
  company: string;
  school: string;
  location: string;
  pastCompanies: string[];
}

function groupBy(members: SeededMember[], keys: (m: SeededMember) => string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  members.forEach((m, i) => {
    for (const k of keys(m)) {
      if (!k) continue;
      const g = groups.get(k) ?? [];
      g.push(i);
      groups.set(k, g);
    }
  });
  return groups;
}

/** Heavy-tailed degree target: most members have a few connections, a few have very many. */
function degreeTarget(rnd: Random, avg: number): number {
  const pareto = 1 / Math.pow(1 - rnd() * 0.999, 1 / 2.2); // shape 2.2, mean ≈ 1.83
  return Math.max(1, Math.round((avg / 2 / 1.83) * pareto));
}

export async function seedNetwork(ctx: AppContext, members: SeededMember[], opts: { seed: number; avgDegree: number; demo?: boolean }) {
  const rnd = prng(opts.seed + 7);
  const now = ctx.clock.now().getTime();
  const byCompany = groupBy(members, (m) => [m.company, ...m.pastCompanies]);
  const bySchool = groupBy(members, (m) => [m.school]);
  const byCity = groupBy(members, (m) => [m.location]);
  const pick = (xs: number[] | undefined) => (xs && xs.length > 0 ? xs[Math.floor(rnd() * xs.length)] : undefined);

  const edges = new Set<string>();
  const pairs: Array<[number, number]> = [];
  const demoIndex = opts.demo ? 0 : -1;
  const open = new Set<string>(); // pairs kept for open demo invitations
  const maxEdges = (members.length * opts.avgDegree) / 2;
  members.forEach((m, i) => {
    if (edges.size >= maxEdges) return;
    const target = degreeTarget(rnd, opts.avgDegree);
    for (let t = 0; t < target * 2 && t < 400; t++) {
      const roll = rnd();
      const j =
        roll < 0.55
          ? pick(byCompany.get(rnd() < 0.7 || m.pastCompanies.length === 0 ? m.company : (m.pastCompanies[Math.floor(rnd() * m.pastCompanies.length)] ?? m.company)))
          : roll < 0.75
            ? pick(bySchool.get(m.school))
            : roll < 0.95
              ? pick(byCity.get(m.location))
              : Math.floor(rnd() * members.length);
      if (j === undefined || j === i) continue;
      const key = i < j ? `${i}:${j}` : `${j}:${i}`;
      if (edges.has(key)) continue;
      edges.add(key);
      pairs.push([i, j]);
    }
  });

  const invitations: InvitationTable[] = [];
  const connections: ConnectionTable[] = [];
  const events: InvitationEventTable[] = [];
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY_MS).toISOString();
  for (const [i, j] of pairs) {
    const a = members[i] as SeededMember;
    const b = members[j] as SeededMember;
    const daysAgo = 1 + Math.floor(rnd() * 900);
    const sentAt = at(daysAgo);
    const acceptedAt = at(Math.max(0, daysAgo - Math.floor(rnd() * 10)));
    const id = newId();
    invitations.push(row(id, a.id, b.id, 'accepted', sentAt, acceptedAt, NOTES[Math.floor(rnd() * NOTES.length)] ?? null));
    connections.push({ member_id: a.id, other_id: b.id, invitation_id: id, created_at: acceptedAt });
    connections.push({ member_id: b.id, other_id: a.id, invitation_id: id, created_at: acceptedAt });
    events.push(event(id, a.id, 'sent', sentAt), event(id, b.id, 'accepted', acceptedAt));
  }

  if (demoIndex === 0 && members.length > 30) {
    const demo = members[0] as SeededMember;
    const strangers = members.map((_, k) => k).filter((k) => k !== 0 && !edges.has(`0:${k}`));
    const take = (n: number) => strangers.splice(0, n).map((k) => members[k] as SeededMember);
    for (const [who, status] of [...take(7).map((m) => [m, 'pending'] as const), ...take(3).map((m) => [m, 'ignored'] as const)]) {
      const sentAt = at(Math.floor(rnd() * 20));
      const id = newId();
      invitations.push({ ...row(id, who.id, demo.id, status, sentAt, null, NOTES[Math.floor(rnd() * NOTES.length)] ?? null), ignored_at: status === 'ignored' ? sentAt : null });
      events.push(event(id, who.id, 'sent', sentAt));
      if (status === 'ignored') events.push(event(id, demo.id, 'ignored', sentAt));
      open.add(pairKey(who.id, demo.id));
    }
    for (const who of take(4)) {
      const sentAt = at(Math.floor(rnd() * 30));
      const id = newId();
      invitations.push(row(id, demo.id, who.id, 'pending', sentAt, null, 'Hi! I would like to add you to my network.'));
      events.push(event(id, demo.id, 'sent', sentAt));
    }
  }

  await insertAll(ctx, invitations, (db, chunk) => db.insertInto('invitations').values(chunk).execute());
  await insertAll(ctx, connections, (db, chunk) => db.insertInto('connections').values(chunk).execute());
  await insertAll(ctx, events, (db, chunk) => db.insertInto('invitation_events').values(chunk).execute());
  return { connections: pairs.length, openInvitations: invitations.length - pairs.length };

  function row(id: string, from: string, to: string, status: InvitationTable['status'], sentAt: string, closedAt: string | null, note: string | null): InvitationTable {
    return {
      id,
      sender_id: from,
      recipient_id: to,
      pair_key: pairKey(from, to),
      note,
      status,
      idk: 0,
      spam: 0,
      created_at: sentAt,
      expires_at: new Date(Date.parse(sentAt) + ctx.config.INVITE_EXPIRY_DAYS * DAY_MS).toISOString(),
      ignored_at: null,
      closed_at: closedAt,
    };
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
