/**
 * The bulk loader for very large seeds (LARGE members and up; see seed-network.ts and seed.ts):
 * `BulkLoad` writes rows straight into tables on one pinned connection, in multi-row INSERTs and
 * transactions of about a million rows. Invariants, for its callers and for changes here:
 * - for seeds only, into databases you can rebuild: SQLite runs with `synchronous=OFF` and a rollback
 *   journal during the load, so a machine crash mid-load can corrupt the file;
 * - the loader settings (`tune`) and the dropped secondary indexes are put back after the load, also
 *   when it fails; indexes are recreated from their own stored definitions, not from code here;
 * - `drain(true)` writes tables in the order they were declared: parents before children, for the
 *   foreign keys (which may be off during the load: the generator only writes ids it has just
 *   written);
 * - callers add rows in primary-key order, so the primary key only grows at its right edge (the
 *   loader does not sort).
 * docs/seed.md, "The bulk loader".
 */
import { CompiledQuery, sql } from 'kysely';
import type { AppContext } from '../server/context.js';
import type { Dialect, Executor } from '../server/db/database.js';

const log = (line: string) => void process.stderr.write(`${line}\n`);

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
    // The journal switch needs the only connection to the file: the checkpoint worker steps aside.
    await ctx.database.alone(() => ctx.database.db.connection().execute(async (conn) => {
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
    }));
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
