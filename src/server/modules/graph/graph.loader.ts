/**
 * Reads the graph from the database: member ids in id order (node i is the i-th id), then the
 * connections table in primary-key order, in keyset batches, straight into CSR arrays.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { Adjacency } from './adjacency.js';
import { Attributes, type MemberFacts } from './attributes.js';

const BATCH = 50_000;

export interface LoadedGraph {
  ids: string[];
  index: Map<string, number>;
  adjacency: Adjacency;
  attributes: Attributes;
}

export async function loadGraph(db: Executor): Promise<LoadedGraph> {
  const ids: string[] = [];
  const index = new Map<string, number>();
  const node = (id: string) => {
    let u = index.get(id);
    if (u === undefined) {
      u = ids.length;
      ids.push(id);
      index.set(id, u);
    }
    return u;
  };
  for await (const row of batches(db, 'members', ['id'])) node(row.id as string);
  const adjacency = await readConnections(db, node, () => ids.length);
  const byNode: Array<MemberFacts | undefined> = new Array<MemberFacts | undefined>(ids.length);
  for (const [id, facts] of await readAllFacts(db)) {
    const u = index.get(id);
    if (u !== undefined) byNode[u] = facts;
  }
  const attributes = Attributes.build(byNode);
  return { ids, index, adjacency, attributes };
}

async function readConnections(db: Executor, node: (id: string) => number, size: () => number): Promise<Adjacency> {
  let targets = new Int32Array(1 << 16);
  let count = 0;
  const starts: Array<[number, number]> = []; // [node, first target index]
  let current = '';
  let sorted = true;
  const unsorted: number[] = [];
  for await (const row of batches(db, 'connections', ['member_id', 'other_id'])) {
    const member = row.member_id as string;
    if (member !== current) {
      if (!sorted) unsorted.push(starts.length - 1);
      current = member;
      sorted = true;
      starts.push([node(member), count]);
    }
    const v = node(row.other_id as string);
    if (count === targets.length) {
      const grown = new Int32Array(targets.length * 2);
      grown.set(targets);
      targets = grown;
    }
    if (count > (starts[starts.length - 1]?.[1] ?? 0) && (targets[count - 1] as number) > v) sorted = false;
    targets[count++] = v;
  }
  if (!sorted) unsorted.push(starts.length - 1);
  // Rows arrive in member-id order, which is node order: offsets follow directly.
  const n = size();
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < starts.length; i++) {
    const [u, from] = starts[i] as [number, number];
    const to = starts[i + 1]?.[1] ?? count;
    offsets[u + 1] = to - from;
  }
  for (let u = 0; u < n; u++) offsets[u + 1] = (offsets[u + 1] as number) + (offsets[u] as number);
  const packed = count === targets.length ? targets : targets.slice(0, count);
  const ordered = starts.every(([u], i) => i === 0 || u > (starts[i - 1]?.[0] ?? -1)) ? packed : reorder(packed, starts, offsets, count);
  for (const i of unsorted) {
    const u = (starts[i] as [number, number])[0];
    ordered.subarray(offsets[u] as number, offsets[u + 1] as number).sort();
  }
  return new Adjacency(offsets, ordered, n);
}

/** Members whose id sorts out of node order (added while loading): move their rows into place. */
function reorder(targets: Int32Array, starts: Array<[number, number]>, offsets: Int32Array, count: number): Int32Array {
  const out = new Int32Array(count);
  starts.forEach(([u, from], i) => out.set(targets.subarray(from, starts[i + 1]?.[1] ?? count), offsets[u] as number));
  return out;
}

async function* batches(db: Executor, table: 'members' | 'connections', keys: ['id'] | ['member_id', 'other_id']) {
  let last: unknown[] | undefined;
  for (;;) {
    const cols = sql.join(keys.map((k) => sql.ref(k)));
    const after = last ? sql`where (${cols}) > (${sql.join(last)})` : sql``;
    const { rows } = await sql<Record<string, unknown>>`select ${cols} from ${sql.table(table)} ${after} order by ${cols} limit ${BATCH}`.execute(db);
    yield* rows;
    if (rows.length < BATCH) return;
    const tail = rows[rows.length - 1] as Record<string, unknown>;
    last = keys.map((k) => tail[k]);
  }
}

async function readAllFacts(db: Executor, memberId?: string): Promise<Map<string, MemberFacts>> {
  const facts = new Map<string, MemberFacts>();
  let members = db.selectFrom('members').select(['id', 'industry', 'location', 'current_company']);
  let positions = db.selectFrom('positions').select(['member_id', 'company']);
  let schools = db.selectFrom('educations').select(['member_id', 'school']);
  if (memberId) {
    members = members.where('id', '=', memberId);
    positions = positions.where('member_id', '=', memberId);
    schools = schools.where('member_id', '=', memberId);
  }
  for (const m of await members.execute()) {
    facts.set(m.id, { industry: m.industry, location: m.location, orgs: m.current_company ? [`company:${m.current_company}`] : [] });
  }
  for (const p of await positions.execute()) if (p.company) facts.get(p.member_id)?.orgs.push(`company:${p.company}`);
  for (const e of await schools.execute()) if (e.school) facts.get(e.member_id)?.orgs.push(`school:${e.school}`);
  return facts;
}

export async function readFacts(db: Executor, memberId: string): Promise<MemberFacts | undefined> {
  return (await readAllFacts(db, memberId)).get(memberId);
}
