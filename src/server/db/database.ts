/**
 * The one way to reach storage. SQLite (embedded default) and PostgreSQL share it.
 *
 * Invariants:
 * - Every write that must be atomic runs in `transaction()`. On SQLite that is `BEGIN IMMEDIATE`
 *   (the write lock is taken up front, so two writers never deadlock on lock upgrade), WAL mode
 *   and `synchronous=FULL` (an acknowledged commit survives power loss, not only a process crash).
 * - `onCommit` hooks run only after a successful commit, in order; a rollback drops them. Code that
 *   holds only the transaction's executor reaches the same hooks through `afterCommit(db, hook)`.
 * - SQLITE_BUSY (another process holds the write lock past busy_timeout) and PostgreSQL
 *   serialization failures / deadlocks are retried with backoff inside `transaction()`, so they
 *   never reach a client. The callback must therefore be safe to run more than once.
 */
import SqliteDatabase from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';
export type Executor = Kysely<DB>;

export interface Tx {
  readonly db: Executor;
  onCommit(hook: () => void): void;
}

const RETRIES = 8;
/**
 * SQLite's busy handler sleeps on the event-loop thread, so keep each wait short and let
 * `transaction()` retry with backoff: another process holding the lock (a CLI seed next to the
 * server) costs at most this long a stall per attempt.
 */
const SQLITE_BUSY_TIMEOUT_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Database {
  /** The hooks of each open transaction, by the executor its callback was given. */
  private readonly open = new WeakMap<Executor, Array<() => void>>();

  private constructor(
    readonly db: Executor,
    readonly dialect: Dialect,
    readonly url: string,
  ) {}

  /**
   * `onIdleError` hears errors of idle pooled PostgreSQL connections (a server restart, a terminated
   * backend). The pool drops such a connection and opens a new one when needed; without a listener
   * the error would crash the process.
   */
  static open(url: string, opts: { poolSize?: number; onIdleError?: (err: Error) => void } = {}): Database {
    if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
      // int8 (counts, sums) as JS numbers: every value we store fits in 2^53.
      pg.types.setTypeParser(20, (v) => Number(v));
      const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
      pool.on('error', (err) => opts.onIdleError?.(err));
      return new Database(new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), 'postgres', url);
    }
    const file = url.replace(/^sqlite:(\/\/)?/, '');
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SqliteDatabase(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    return new Database(new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) }), 'sqlite', url);
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const hooks: Array<() => void> = [];
      const onCommit = (hook: () => void) => void hooks.push(hook);
      const run = (db: Executor) => {
        this.open.set(db, hooks);
        return fn({ db, onCommit });
      };
      try {
        const result =
          this.dialect === 'sqlite'
            ? await this.db.connection().execute(async (conn) => {
                await sql`begin immediate`.execute(conn);
                try {
                  const value = await run(conn);
                  await sql`commit`.execute(conn);
                  return value;
                } catch (err) {
                  await sql`rollback`.execute(conn).catch(() => undefined);
                  throw err;
                }
              })
            : await this.db.transaction().execute((trx) => run(trx));
        for (const hook of hooks) hook();
        return result;
      } catch (err) {
        if (attempt >= RETRIES || !isTransient(err)) throw err;
        await sleep(Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random()));
      }
    }
  }

  /** Run `hook` once the transaction that `db` belongs to commits; outside a transaction, now. */
  afterCommit(db: Executor, hook: () => void): void {
    const hooks = this.open.get(db);
    if (hooks) hooks.push(hook);
    else hook();
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** Busy/lock/serialization failures that a retry of the whole transaction resolves. */
export function isTransient(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === '40001' || code === '40P01';
}

/** A unique or primary-key constraint fired: the database refused a duplicate. */
export function isUniqueViolation(err: unknown): boolean {
  const code = errorCode(err);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
