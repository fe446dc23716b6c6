/**
 * Reads the graph from the database: member ids in id order (node i is the i-th id), then the
 * connections table in primary-key order straight into CSR arrays, then the profile facts.
 *
 * On a SQLite file the scans go through a second, read-only better-sqlite3 handle iterating raw
 * rows (no object per row, no batching); elsewhere (PostgreSQL, an in-memory SQLite) through
 * keyset batches of BATCH rows. A snapshot is not needed: changes that commit during the load are
 * held back by the GraphService and replayed onto the result.
 */
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import type { Database, Executor } from '../../db/database.js';
import { Adjacency } from './adjacency.js';
import { Attributes, type MemberFacts } from './attributes.js';

const BATCH = 50_000;

export interface LoadedGraph {
  ids: string[];
  index: Map<string, number>;
  adjacency: Adjacency;
  attributes: Attributes;
}

type Scan = (table: 'members' | 'connections' | 'positions' | 'educations', columns: string[], keys: string[]) => AsyncIterable<unknown[]> | Iterable<unknown[]>;

export async function loadGraph(database: Database): Promise<LoadedGraph> {
  const file = sqliteFile(database);
  const raw = file ? new SqliteDatabase(file, { readonly: true, fileMustExist: true }) : undefined;
  if (!raw) return load((table, columns, keys) => batches(database.db, table, columns, keys), readConnections);
  try {
    // One read transaction: every scan sees the same snapshot.
    raw.exec('begin');
    return await load(
      // Positions and educations may come in any order: a plain table scan, no index lookups or sort.
      (table, columns, keys) =>
        raw.prepare(`select ${columns.join(', ')} from ${table}${table === 'positions' || table === 'educations' ? '' : ` order by ${keys.join(', ')}`}`).raw().iterate() as Iterable<unknown[]>,
      (_scan, ids, index) => sqliteAdjacency(raw, ids, index),
    );
  } finally {
    raw.close();
  }
}

/** Reads the connections into a CSR over the members read so far (`ids` in node order; `node` adds one it has not seen). */
type ReadConnections = (scan: Scan, ids: string[], index: Map<string, number>, node: (id: string) => number) => Adjacency | Promise<Adjacency>;

/**
 * The CSR straight from SQLite in one pass over the connections primary key: each member's range in
 * member order (node order), its other ends mapped to nodes. Rows and offsets come out in node order,
 * so no second scan counts degrees first; at a million members, where the file no longer fits in
 * memory, each index page is read once.
 */
function sqliteAdjacency(raw: SqliteDatabase.Database, ids: string[], index: Map<string, number>): Adjacency {
  const n = ids.length;
  const offsets = new Int32Array(n + 1);
  let targets = new Int32Array(1 << 16);
  let k = 0;
  const row = raw.prepare('select other_id from connections where member_id = ? order by other_id').pluck();
  for (let u = 0; u < n; u++) {
    const others = row.all(ids[u]) as string[];
    if (k + others.length > targets.length) {
      const grown = new Int32Array(Math.max(k + others.length, Math.ceil(targets.length * 1.5)));
      grown.set(targets.subarray(0, k));
      targets = grown;
    }
    for (const other of others) {
      const v = index.get(other);
      if (v !== undefined) targets[k++] = v;
    }
    offsets[u + 1] = k;
  }
  return new Adjacency(offsets, targets.slice(0, k), n);
}

async function load(scan: Scan, connections: ReadConnections): Promise<LoadedGraph> {
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
  const facts: Array<MemberFacts | undefined> = [];
  await each(scan('members', ['id', 'industry', 'location', 'current_company'], ['id']), (r) => {
    const company = r[3] as string;
    facts[node(r[0] as string)] = { industry: r[1] as string, location: r[2] as string, orgs: company ? [`company:${company}`] : [] };
  });
  const adjacency = await connections(scan, ids, index, node);
  await each(scan('positions', ['member_id', 'company'], ['member_id', 'id']), (r) => {
    if (r[1]) facts[index.get(r[0] as string) ?? -1]?.orgs.push(`company:${r[1] as string}`);
  });
  await each(scan('educations', ['member_id', 'school'], ['member_id', 'id']), (r) => {
    if (r[1]) facts[index.get(r[0] as string) ?? -1]?.orgs.push(`school:${r[1] as string}`);
  });
  return { ids, index, adjacency, attributes: Attributes.build(facts) };
}

/** Rows one by one; a synchronous source stays synchronous (no promise per row). */
async function each(rows: AsyncIterable<unknown[]> | Iterable<unknown[]>, fn: (row: unknown[]) => void): Promise<void> {
  if (Symbol.iterator in rows) for (const row of rows) fn(row);
  else for await (const row of rows) fn(row);
}

function sqliteFile(database: Database): string | undefined {
  if (database.dialect !== 'sqlite') return undefined;
  const file = database.url.replace(/^sqlite:(\/\/)?/, '');
  return file === ':memory:' ? undefined : file;
}

async function readConnections(scan: Scan, ids: string[], _index: Map<string, number>, node: (id: string) => number): Promise<Adjacency> {
  let targets = new Int32Array(1 << 16);
  let count = 0;
  const starts: Array<[number, number]> = []; // [node, first target index]
  let current = '';
  let sorted = true;
  const unsorted: number[] = [];
  await each(scan('connections', ['member_id', 'other_id'], ['member_id', 'other_id']), (r) => {
    const member = r[0] as string;
    if (member !== current) {
      if (!sorted) unsorted.push(starts.length - 1);
      current = member;
      sorted = true;
      starts.push([node(member), count]);
    }
    const v = node(r[1] as string);
    if (count === targets.length) {
      const grown = new Int32Array(targets.length * 2);
      grown.set(targets);
      targets = grown;
    }
    if (count > (starts[starts.length - 1]?.[1] ?? 0) && (targets[count - 1] as number) > v) sorted = false;
    targets[count++] = v;
  });
  if (!sorted) unsorted.push(starts.length - 1);
  // Rows arrive in member-id order, which is node order: offsets follow directly.
  const n = ids.length;
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

/** Keyset pages of `columns`, ordered by `keys` (which must be unique together), as arrays. */
async function* batches(db: Executor, table: string, columns: string[], keys: string[]): AsyncIterable<unknown[]> {
  let last: unknown[] | undefined;
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  const order = sql.join(keys.map((k) => sql.ref(k)));
  for (;;) {
    const after = last ? sql`where (${order}) > (${sql.join(last)})` : sql``;
    const { rows } = await sql<Record<string, unknown>>`select ${cols} from ${sql.table(table)} ${after} order by ${order} limit ${BATCH}`.execute(db);
    for (const r of rows) yield columns.map((c) => r[c]);
    if (rows.length < BATCH) return;
    const tail = rows[rows.length - 1] as Record<string, unknown>;
    last = keys.map((k) => tail[k]);
  }
}

/** One member's facts, after a profile change. */
export async function readFacts(db: Executor, memberId: string): Promise<MemberFacts | undefined> {
  const m = await db.selectFrom('members').select(['industry', 'location', 'current_company']).where('id', '=', memberId).executeTakeFirst();
  if (!m) return undefined;
  const positions = await db.selectFrom('positions').select('company').where('member_id', '=', memberId).execute();
  const schools = await db.selectFrom('educations').select('school').where('member_id', '=', memberId).execute();
  const orgs = [m.current_company, ...positions.map((p) => p.company)].filter(Boolean).map((c) => `company:${c}`);
  return { industry: m.industry, location: m.location, orgs: [...orgs, ...schools.map((e) => e.school).filter(Boolean).map((n) => `school:${n}`)] };
}
