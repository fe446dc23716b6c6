/**
 * Writes the generated network (see `buildNetwork`). Two paths, one shape:
 * - history (below LARGE members, and always for the demo): every connection is backed by an
 *   accepted invitation with its `sent` and `accepted` events and often a note, through Kysely, as
 *   if it had happened in the product; the demo account also gets invitations in its inbox and
 *   archive, and pending sent ones;
 * - bulk (LARGE members and up): the connection rows only, in primary-key order through `BulkLoad`,
 *   with `invitation_id` set to SEEDED_INVITATION. At a million members one invitation row per
 *   connection would take 50 million rows and about 70 GB; see docs/seed.md.
 * In both, a pair's dates are the same, and in the history path the member who joined later (the
 * higher index) sent the invitation.
 */
import { SingleBar, Presets } from 'cli-progress';
import { CompiledQuery, sql } from 'kysely';
import { SEEDED_INVITATION } from '../server/modules/connections/connection.repository.js';
import { DAY_MS } from '../server/clock.js';
import type { AppContext } from '../server/context.js';
import type { Dialect, Executor } from '../server/db/database.js';
import { newId } from '../server/ids.js';
import type { ConnectionTable, InvitationEventTable, InvitationTable } from '../server/modules/invitations/invitation.table.js';
import { pairKey } from '../server/modules/invitations/invitation.repository.js';
import { hash01, pick, prng } from './prng.js';
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

async function writeHistory(ctx: AppContext, members: SeededMember[], network: Network, dates: PairDates, opts: { seed: number; demo?: boolean }) {
  const rnd = prng(opts.seed + 11);
  const now = ctx.clock.now().getTime();
  const invitations: InvitationTable[] = [];
  const connections: ConnectionTable[] = [];
  const events: InvitationEventTable[] = [];
  const row = (id: string, from: string, to: string, status: InvitationTable['status'], sentAt: string, closedAt: string | null, note: string | null): InvitationTable => ({
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
    ignored_at: status === 'ignored' ? sentAt : null,
    closed_at: closedAt,
  });
  forEachPair(network, (a, b) => {
    const recipient = (members[a] as SeededMember).id;
    const sender = (members[b] as SeededMember).id;
    const sent = dates.sentSlot(a, b);
    const sentAt = dates.at(sent);
    const acceptedAt = dates.at(dates.acceptedSlot(sent, a, b));
    const id = newId();
    invitations.push(row(id, sender, recipient, 'accepted', sentAt, acceptedAt, pick(rnd, NOTES)));
    connections.push({ member_id: recipient, other_id: sender, invitation_id: id, created_at: acceptedAt });
    connections.push({ member_id: sender, other_id: recipient, invitation_id: id, created_at: acceptedAt });
    events.push(event(id, sender, 'sent', sentAt), event(id, recipient, 'accepted', acceptedAt));
  });

  if (opts.demo && members.length > 30) {
    const demo = (members[0] as SeededMember).id;
    const known = new Set(network.neighbors.subarray(0, network.offsets[1]));
    const strangers = members.slice(1).filter((_, k) => !known.has(k + 1));
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY_MS).toISOString();
    for (const [who, status] of [...strangers.splice(0, 7).map((m) => [m, 'pending'] as const), ...strangers.splice(0, 3).map((m) => [m, 'ignored'] as const)]) {
      const sentAt = at(Math.floor(rnd() * 20));
      const id = newId();
      invitations.push(row(id, who.id, demo, status, sentAt, null, pick(rnd, NOTES)));
      events.push(event(id, who.id, 'sent', sentAt));
      if (status === 'ignored') events.push(event(id, demo, 'ignored', sentAt));
    }
    for (const who of strangers.splice(0, 4)) {
      const sentAt = at(Math.floor(rnd() * 30));
      const id = newId();
      invitations.push(row(id, demo, who.id, 'pending', sentAt, null, 'Hi! I would like to add you to my network.'));
      events.push(event(id, demo, 'sent', sentAt));
    }
  }

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

/** A table being bulk-loaded: rows buffered as flat values, written `batch` values at a time. */
class BulkTable<Row> {
  values: unknown[] = [];

  constructor(
    readonly name: string,
    readonly columns: ReadonlyArray<keyof Row & string>,
    readonly batch: number,
    /** PostgreSQL column types, for `unnest`. */
    readonly types: readonly string[],
  ) {}

  add(row: Row): void {
    for (const column of this.columns) this.values.push(row[column]);
  }
}

/**
 * A bulk load on one pinned connection, for seeds only: multi-row INSERTs in transactions of about a
 * million rows; the named secondary indexes dropped for the load and recreated from their own
 * definitions after it (also when it fails). For the load only, then restored: on SQLite
 * `synchronous=OFF`, a rollback journal instead of WAL (each page written once, not twice), a 1 GiB
 * page cache and no foreign-key checks (the generator only writes ids it has just written); on
 * PostgreSQL `synchronous_commit=off` and, when allowed, no foreign-key triggers. A process crash
 * rolls back the open transaction; a machine crash mid-load can corrupt a SQLite file, so bulk-seed
 * databases you can rebuild. The SQLite journal switch needs the only connection to the file: with
 * a server running on it the load stays in WAL mode, slower.
 */
export class BulkLoad {
  private static readonly COMMIT_ROWS = 1_000_000;
  private readonly tables: Array<{ name: string; columns: readonly string[]; values: unknown[]; batch: number; types: readonly string[] }> = [];
  private uncommitted = 0;

  private constructor(
    private readonly conn: Executor,
    private readonly dialect: Dialect,
  ) {}

  static async run(ctx: AppContext, dropIndexes: readonly string[], fn: (load: BulkLoad) => Promise<void>): Promise<void> {
    const dialect = ctx.database.dialect;
    await ctx.database.db.connection().execute(async (conn) => {
      const exec = (text: string) => sql.raw(text).execute(conn);
      const restore = await tune(conn, dialect);
      const indexes = await definitions(conn, dialect, dropIndexes);
      for (const index of indexes) await exec(`drop index ${index.name}`);
      const load = new BulkLoad(conn, dialect);
      try {
        await exec('begin');
        await fn(load);
        await load.drain(true);
        await exec('commit');
      } catch (err) {
        await exec('rollback').catch(() => undefined);
        throw err;
      } finally {
        const started = performance.now();
        for (const index of indexes) await exec(index.definition);
        if (indexes.length > 0) log(`indexes: ${indexes.map((i) => i.name).join(', ')} rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        for (const text of restore) await exec(text);
      }
    });
  }

  async table<Row>(name: string, columns: ReadonlyArray<keyof Row & string>): Promise<BulkTable<Row>> {
    let table: BulkTable<Row>;
    if (this.dialect === 'sqlite') {
      table = new BulkTable<Row>(name, columns, Math.floor(8000 / columns.length) * columns.length, []);
    } else {
      const { rows } = await sql<{ column_name: string; data_type: string }>`select column_name, data_type from information_schema.columns
        where table_schema = current_schema() and table_name = ${name}`.execute(this.conn);
      const types = columns.map((c) => rows.find((r) => r.column_name === c)?.data_type ?? 'text');
      table = new BulkTable<Row>(name, columns, 10_000 * columns.length, types);
    }
    this.tables.push(table);
    return table;
  }

  /**
   * Writes every full batch, committing about every million rows. `all` writes every row, tables in
   * the order they were declared: parents before children, for the foreign keys.
   */
  async drain(all = false): Promise<void> {
    for (const table of this.tables) {
      const { values, batch } = table;
      let start = 0;
      for (; values.length - start >= batch || (all && start < values.length); start += batch) {
        this.uncommitted += await this.write(table, values.slice(start, start + batch));
      }
      if (start > 0) table.values = values.slice(start);
    }
    if (this.uncommitted >= BulkLoad.COMMIT_ROWS) {
      await sql`commit`.execute(this.conn);
      await sql`begin`.execute(this.conn);
      this.uncommitted = 0;
    }
  }

  /**
   * One multi-row INSERT; returns the rows written. SQLite binds every value; PostgreSQL binds one
   * array per column and `unnest`s them, which parses and plans once per batch, not once per value.
   */
  private async write(table: { name: string; columns: readonly string[]; types: readonly string[] }, values: unknown[]): Promise<number> {
    const width = table.columns.length;
    const rows = values.length / width;
    const into = `insert into ${table.name} (${table.columns.join(',')})`;
    if (this.dialect === 'sqlite') {
      const tuple = `(${table.columns.map(() => '?').join(',')})`;
      await this.conn.executeQuery(CompiledQuery.raw(`${into} values ${Array.from({ length: rows }, () => tuple).join(',')}`, values));
    } else {
      const arrays = table.columns.map((_, c) => Array.from({ length: rows }, (_, r) => values[r * width + c]));
      const unnest = table.types.map((type, c) => `$${c + 1}::${type}[]`).join(',');
      await this.conn.executeQuery(CompiledQuery.raw(`${into} select * from unnest(${unnest})`, arrays));
    }
    return rows;
  }
}

async function definitions(conn: Executor, dialect: Dialect, indexes: readonly string[]) {
  if (indexes.length === 0) return [];
  const names = sql.join(indexes.map((name) => sql.lit(name)));
  const query =
    dialect === 'sqlite'
      ? sql<{ name: string; definition: string }>`select name, sql as definition from sqlite_master where type = 'index' and name in (${names})`
      : sql<{ name: string; definition: string }>`select indexname as name, indexdef as definition from pg_indexes where schemaname = current_schema() and indexname in (${names})`;
  return (await query.execute(conn)).rows;
}

/** Loader settings for this connection; returns the statements that put them back. */
async function tune(conn: Executor, dialect: Dialect): Promise<string[]> {
  if (dialect === 'postgres') {
    await sql`set synchronous_commit = off`.execute(conn);
    await sql`set maintenance_work_mem = '1GB'`.execute(conn);
    // Skips the foreign-key triggers, which lock both members of every row: superusers only, so
    // without the right the load keeps the checks.
    await sql`set session_replication_role = replica`.execute(conn).catch(() => undefined);
    return ['reset synchronous_commit', 'reset maintenance_work_mem', 'reset session_replication_role'];
  }
  const value = async (pragma: string) => Object.values((await sql.raw(`pragma ${pragma}`).execute(conn)).rows[0] ?? {})[0];
  const settings = { journal_mode: 'truncate', synchronous: 'off', cache_size: '-1048576', foreign_keys: 'off' };
  const restore: string[] = [];
  for (const [name, loading] of Object.entries(settings)) {
    restore.push(`pragma ${name} = ${String(await value(name))}`);
    await sql.raw(`pragma ${name} = ${loading}`).execute(conn);
  }
  return restore;
}
