/**
 * Graph correctness against plain breadth-first search (PRODUCT.md §3).
 *
 * 1. The in-memory structure alone: random connect/remove/compact sequences on up to 14 nodes; after
 *    each step every pair's degree, mutual count and the friends-of-friends counts match BFS.
 * 2. Through the real services on each dialect: members invite and accept, remove connections and
 *    block; after each step the graph answers match BFS over the `connections` table, a fresh load
 *    equals the incrementally updated graph, and people-you-may-know never lists an excluded member.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adjacency } from '../src/server/modules/graph/adjacency.js';
import { Bits, commonNeighbours, degree, friendsOfFriends, intersectionSize, Marks, topK } from '../src/server/modules/graph/algorithms.js';
import { GraphService } from '../src/server/modules/graph/graph.service.js';
import { makeMember } from './_factories.js';
import { createTestApp, dialects, type Session, type TestApp } from './_util.js';

type Edges = Set<string>;
const key = (a: number | string, b: number | string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

function bfsDegree(nodes: readonly (number | string)[], edges: Edges, from: number | string, to: number | string): number | null {
  let frontier = [from];
  const seen = new Set([from]);
  for (let d = 1; d <= 3; d++) {
    const next: Array<number | string> = [];
    for (const u of frontier) {
      for (const v of nodes) {
        if (seen.has(v) || !edges.has(key(u, v))) continue;
        if (v === to) return d;
        seen.add(v);
        next.push(v);
      }
    }
    frontier = next;
  }
  return null;
}

/** friendsOfFriends as GraphService calls it, the viewer and its connections left out: node → count. */
function fof(g: Adjacency, marks: Marks, viewer: number, hubCap: number, budget?: number): Map<number, number> {
  const skip = new Bits(g.size);
  for (const v of [viewer, ...g.row(viewer)]) skip.set(v);
  return new Map(friendsOfFriends(g, marks, skip, viewer, hubCap, budget).map((y) => [y, marks.count(y)]));
}

const mutualsOf = (nodes: readonly (number | string)[], edges: Edges, a: number | string, b: number | string) =>
  nodes.filter((k) => k !== a && k !== b && edges.has(key(a, k)) && edges.has(key(b, k))).length;

describe('graph structure against BFS', () => {
  const op = fc.oneof(
    { arbitrary: fc.tuple(fc.constant('connect' as const), fc.nat(13), fc.nat(13)), weight: 6 },
    { arbitrary: fc.tuple(fc.constant('remove' as const), fc.nat(13), fc.nat(13)), weight: 3 },
    { arbitrary: fc.tuple(fc.constant('compact' as const), fc.constant(0), fc.constant(0)), weight: 1 },
  );

  it('answers degree, mutual counts and friends of friends like BFS after every connect, remove and compaction', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 14 }), fc.array(op, { maxLength: 40 }), (n, ops) => {
        const g = Adjacency.empty();
        g.grow(n);
        const marks = new Marks(n);
        const bits = new Bits(1); // too small on purpose: degree() grows it
        const nodes = Array.from({ length: n }, (_, i) => i);
        const edges: Edges = new Set();
        for (const [kind, x, y] of ops) {
          const [u, v] = [x % n, y % n];
          if (kind === 'connect') {
            g.add(u, v);
            if (u !== v) edges.add(key(u, v));
          } else if (kind === 'remove') {
            g.remove(u, v);
            edges.delete(key(u, v));
          } else g.compact();
          expect(g.edges).toBe(edges.size * 2);
          for (const a of nodes) {
            const second = fof(g, marks, a, 1000);
            for (const b of nodes) {
              if (a === b) continue;
              expect(degree(g, bits, a, b), `degree ${a}→${b}`).toBe(bfsDegree(nodes, edges, a, b));
              expect(bits.words.every((w) => w === 0), 'degree() leaves every bit clear').toBe(true);
              const mutuals = mutualsOf(nodes, edges, a, b);
              expect(intersectionSize(g.row(a), g.row(b))).toBe(mutuals);
              expect(commonNeighbours(g, a, b)).toBe(mutuals);
              expect(second.get(b) ?? 0, `fof ${a}→${b}`).toBe(edges.has(key(a, b)) ? 0 : mutuals);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('samples a hub evenly: with a cap, each candidate count is at most the true mutual count', () => {
    const g = Adjacency.empty();
    for (let v = 2; v < 1002; v++) g.add(1, v); // node 1 is a hub of 1,000
    g.add(0, 1);
    const capped = fof(g, new Marks(1002), 0, 100);
    expect(capped.size).toBe(100);
    expect([...capped].every(([node, mutuals]) => mutuals === 1 && node >= 2)).toBe(true);
  });

  it('lowers the cap to fit the budget when the viewer has many connections', () => {
    const g = Adjacency.empty();
    for (let x = 1; x <= 50; x++) {
      g.add(0, x); // the viewer knows 50 members, each with 100 connections of their own
      for (let k = 0; k < 100; k++) g.add(x, 1000 + x * 100 + k);
    }
    expect(fof(g, new Marks(7000), 0, 1000).size).toBe(5000);
    expect(fof(g, new Marks(7000), 0, 1000, 1000).size).toBe(1000); // 20 from each
  });

  it('picks the k highest scores like a full sort, equal scores in their original order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(20), { maxLength: 300 }), fc.nat(60), (scores, k) => {
        const sorted = scores.map((v, i) => [v, i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
        expect(topK(Int32Array.from(scores), k)).toEqual(sorted.slice(0, k).map(([, i]) => i));
      }),
      { numRuns: 500 },
    );
  });
});

describe.each(dialects)('graph through the services [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  const step = fc.oneof(
    { arbitrary: fc.tuple(fc.constant('connect' as const), fc.nat(5), fc.nat(5)), weight: 6 },
    { arbitrary: fc.tuple(fc.constant('invite' as const), fc.nat(5), fc.nat(5)), weight: 2 },
    { arbitrary: fc.tuple(fc.constant('remove' as const), fc.nat(5), fc.nat(5)), weight: 2 },
    { arbitrary: fc.tuple(fc.constant('block' as const), fc.nat(5), fc.nat(5)), weight: 1 },
  );

  it('matches BFS over the stored connections after every accept, removal and block; a reload agrees; suggestions keep their exclusions', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 3, max: 6 }), fc.array(step, { minLength: 1, maxLength: 12 }), async (n, steps) => {
        const crew: Session[] = [];
        for (let i = 0; i < n; i++) crew.push(await makeMember(t.ctx, `Member ${i}`));
        const ids = crew.map((m) => m.id);
        for (const [kind, x, y] of steps) {
          const [a, b] = [crew[x % n] as Session, crew[y % n] as Session];
          if (a.id === b.id) continue;
          await apply(t, kind, a.id, b.id);
          await check(t, ids);
        }
      }),
      { numRuns: dialect === 'sqlite' ? 60 : 30 },
    );
  });

  it('suggests colleagues and classmates without mutual connections, ranks mutuals first, and drops them once invited', async () => {
    const [me, colleague, classmate, friend, fof] = (await Promise.all(['Me', 'Colleague', 'Classmate', 'Friend', 'Friend of friend'].map((n) => makeMember(t.ctx, n)))) as [Session, Session, Session, Session, Session];
    const school = { school: 'Graph University', degree: 'BSc', field: 'Maths', startYear: 2010, endYear: 2014 };
    await t.ctx.members.updateProfile(me.id, { currentCompany: 'Acme Graphs', educations: [school] });
    await t.ctx.members.updateProfile(colleague.id, { positions: [{ title: 'Engineer', company: 'Acme Graphs', startYear: 2015, endYear: 2020 }] });
    await t.ctx.members.updateProfile(classmate.id, { educations: [school] });
    await apply(t, 'connect', me.id, friend.id);
    await apply(t, 'connect', friend.id, fof.id);
    const reasons = async () => new Map((await t.ctx.suggestions.suggest(me.id, 10)).map((s) => [s.member.fullName, s.reason]));
    expect(await reasons()).toEqual(
      new Map([
        ['Colleague', 'Also worked at Acme Graphs'],
        ['Classmate', 'Also studied at Graph University'],
        ['Friend of friend', '1 mutual connection'],
      ]),
    );
    await t.ctx.invitations.send(me.id, colleague.id, undefined);
    expect([...(await reasons()).keys()].sort()).toEqual(['Classmate', 'Friend of friend']);
  });

  it('gives a candidate found through sampled hubs its exact mutual count', async () => {
    // A cap of 2: a hub's row [me, target, fan × 4] is sampled at its 1st and 4th entries, which
    // miss the target; the hub with no fans is read whole. Sampling counts 1 mutual, there are 3.
    const sampled = await createTestApp(dialect, { GRAPH_HUB_CAP: '2' });
    try {
      const c = sampled.ctx;
      const me = await makeMember(c, 'Me');
      const target = await makeMember(c, 'Target');
      for (let h = 0; h < 3; h++) {
        const hub = await makeMember(c, `Hub ${h}`);
        await apply(sampled, 'connect', me.id, hub.id);
        await apply(sampled, 'connect', hub.id, target.id);
        for (let i = 0; i < (h === 0 ? 0 : 4); i++) await apply(sampled, 'connect', hub.id, (await makeMember(c, `Fan ${h}.${i}`)).id);
      }
      const shown = (await c.suggestions.suggest(me.id, 20)).find((s) => s.member.id === target.id);
      expect(shown?.member.mutualCount).toBe(3);
      expect(shown?.reason).toBe('3 mutual connections');
    } finally {
      await sampled.close();
    }
  });

  it('shows members who already have many invitations waiting lower than equally close ones who do not', async () => {
    const [me, friend, popular, quiet] = (await Promise.all(['Me', 'Friend', 'Popular', 'Quiet'].map((n) => makeMember(t.ctx, n)))) as [Session, Session, Session, Session];
    await apply(t, 'connect', me.id, friend.id);
    await apply(t, 'connect', friend.id, popular.id);
    await apply(t, 'connect', friend.id, quiet.id);
    const order = async () => (await t.ctx.suggestions.suggest(me.id, 10)).map((s) => s.member.fullName);
    const before = await order();
    expect(before.sort()).toEqual(['Popular', 'Quiet']);
    // Twenty strangers invite Popular (pending or ignored alike count as waiting).
    for (let i = 0; i < 20; i++) await t.ctx.invitations.send((await makeMember(t.ctx, `Fan ${i}`)).id, popular.id, undefined);
    expect(await order()).toEqual(['Quiet', 'Popular']);
  });
});

/** Each step as a member would take it; refusals (already connected, blocked, limits) are fine. */
async function apply(t: TestApp, kind: 'connect' | 'invite' | 'remove' | 'block', a: string, b: string): Promise<void> {
  const quietly = (p: Promise<unknown>) => p.catch(() => undefined);
  if (kind === 'invite') await quietly(t.ctx.invitations.send(a, b, undefined));
  if (kind === 'connect') {
    await quietly(
      t.ctx.invitations.send(a, b, undefined).then(async ({ result }) => {
        if (result.outcome === 'sent') await t.ctx.invitations.accept(b, result.invitation.id);
      }),
    );
  }
  if (kind === 'remove') await quietly(t.ctx.connections.remove(a, b));
  if (kind === 'block') await quietly(t.ctx.connections.block(a, b));
}

async function check(t: TestApp, ids: string[]): Promise<void> {
  const db = t.ctx.database.db;
  const rows = await db.selectFrom('connections').select(['member_id', 'other_id']).where('member_id', 'in', ids).execute();
  const edges: Edges = new Set(rows.map((r) => key(r.member_id, r.other_id)));
  const reloaded = new GraphService(t.ctx.database, t.ctx.feed, t.ctx.log);
  await reloaded.load();
  for (const a of ids) {
    for (const b of ids) {
      if (a === b) continue;
      const d = bfsDegree(ids, edges, a, b);
      const label = d === null ? 'out_of_network' : (['1st', '2nd', '3rd'][d - 1] as string);
      expect(t.ctx.graph.view(a, b)).toEqual({ degree: label, mutualCount: mutualsOf(ids, edges, a, b) });
      expect(t.ctx.graph.connected(a, b), `connected ${a}–${b}`).toBe(edges.has(key(a, b)));
      expect(reloaded.view(a, b)).toEqual(t.ctx.graph.view(a, b));
    }
    const suggestions = await t.ctx.suggestions.suggest(a, 50);
    const suggested = suggestions.map((s) => s.member.id);
    for (const { member } of suggestions) expect(member).toMatchObject(t.ctx.graph.view(a, member.id)); // the same badge and count as everywhere
    const invited = await db
      .selectFrom('invitations')
      .select(['sender_id', 'recipient_id'])
      .where((eb) => eb.or([eb('sender_id', '=', a), eb('recipient_id', '=', a)]))
      .execute();
    const blocks = await db
      .selectFrom('blocks')
      .select(['blocker_id', 'blocked_id'])
      .where((eb) => eb.or([eb('blocker_id', '=', a), eb('blocked_id', '=', a)]))
      .execute();
    const excluded = new Set([a, ...invited.flatMap((r) => [r.sender_id, r.recipient_id]), ...blocks.flatMap((r) => [r.blocker_id, r.blocked_id])]);
    for (const id of suggested) {
      expect(excluded.has(id), 'suggested an excluded member').toBe(false);
      expect(edges.has(key(a, id)), 'suggested a connection').toBe(false);
    }
    // Every friend of a friend who is not excluded is suggested (the crew is far below every cap).
    const expected = ids.filter((c) => !excluded.has(c) && !edges.has(key(a, c)) && mutualsOf(ids, edges, a, c) > 0);
    expect(new Set(suggested)).toEqual(new Set(expected));
  }
  reloaded.detach();
}
