/**
 * The one way to reach storage. SQLite (embedded default) and PostgreSQL share it.
 *
 * Invariants:
 * - Every write that must be atomic runs in `transaction()`. On SQLite that is a savepoint inside a
 *   shared `BEGIN IMMEDIATE` transaction (group commit, below), WAL mode and `synchronous=FULL`: a
 *   `transaction()` resolves only after the COMMIT that made it durable returned, so an acknowledged
 *   write survives power loss, not only a process crash. A worker thread copies the log into the
 *   file between COMMITs (checkpointer.ts), so SQLite's own checkpoint in a COMMIT only catches up.
 * - One commit-hook path: `tx.onCommit(hook)`. Hooks run only after a successful commit, in order; a
 *   rollback drops them. Code that holds only the transaction's executor (an effect of another
 *   module's transition) gets the same `Tx` back with `txOf(db)`; never a stand-in whose hooks do
 *   nothing (a local worker's wake-up was lost that way). `{ feedsMemory: true }` marks a hook that
 *   updates in-memory state later transactions read (the change feed: the graph).
 *   A hook that throws reaches the caller; the transaction is committed and not run again.
 * - SQLITE_BUSY (another process holds the write lock past busy_timeout) and PostgreSQL
 *   serialization failures / deadlocks are retried with backoff inside `transaction()`, so they
 *   never reach a client. The callback must therefore be safe to run more than once. A statement
 *   outside `transaction()` gets no retry (it fails after busy_timeout), so every write of code that
 *   shares the file with other processes (jobs, mail) goes through `transaction()`.
 */
import SqliteDatabase from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { Checkpointer } from './checkpointer.js';
import type { DB } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';
export type Executor = Kysely<DB>;

export interface CommitHookOptions {
  /**
   * The hook updates in-memory state that later transactions read (the change feed: the graph). On
   * SQLite the group commits right after this transaction, so the next one runs with its effect.
   */
  feedsMemory?: boolean;
}

export interface Tx {
  readonly db: Executor;
  onCommit(hook: () => void, opts?: CommitHookOptions): void;
}

const RETRIES = 8;
/**
 * SQLite's busy handler sleeps on the event-loop thread, so keep each wait short and let
 * `transaction()` retry with backoff: another process holding the lock (a CLI seed next to the
 * server) costs at most this long a stall per attempt.
 */
const SQLITE_BUSY_TIMEOUT_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An open logical transaction: its Tx, and `feedsMemory` once a hook said so. */
interface OpenTx {
  readonly tx: Tx;
  feedsMemory: boolean;
}

export class Database {
  /** Each open transaction, by the executor its callback was given. */
  private readonly open = new WeakMap<Executor, OpenTx>();

  private constructor(
    readonly db: Executor,
    readonly dialect: Dialect,
    readonly url: string,
    private readonly commits?: GroupCommit,
    private checkpointer?: Checkpointer,
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
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    const checkpointer = file === ':memory:' ? undefined : new Checkpointer(file);
    return new Database(db, 'sqlite', url, new GroupCommit(db, sqlite), checkpointer);
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const hooks: Array<() => void> = [];
      let current: OpenTx | undefined;
      const run = (db: Executor) => {
        const open: OpenTx = {
          tx: {
            db,
            onCommit: (hook, opts) => {
              hooks.push(hook);
              if (opts?.feedsMemory) open.feedsMemory = true;
            },
          },
          feedsMemory: false,
        };
        this.open.set(db, open);
        current = open;
        return fn(open.tx);
      };
      let result: T;
      try {
        result = this.commits
          ? await this.commits.run(run, () => current?.feedsMemory === true)
          : await this.db.transaction().execute((trx) => run(trx));
      } catch (err) {
        if (attempt >= RETRIES || !isTransient(err)) throw err;
        await sleep(Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random()));
        continue;
      }
      for (const hook of hooks) hook();
      return result;
    }
  }

  /**
   * The Tx of the open transaction that `db` belongs to, for code handed only its executor. Outside
   * a transaction (`database.db`, autocommit) each statement has committed when it returns, so a
   * hook runs at once.
   */
  txOf(db: Executor): Tx {
    return this.open.get(db)?.tx ?? { db, onCommit: (hook) => hook() };
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  /**
   * Runs `fn` while this process holds the only connection to the SQLite file: the checkpoint
   * worker closes first and starts again after. Changing the journal mode needs it (the bulk loader).
   */
  async alone<T>(fn: () => Promise<T>): Promise<T> {
    const running = this.checkpointer;
    if (!running) return fn();
    await running.close();
    try {
      return await fn();
    } finally {
      this.checkpointer = running.restart();
    }
  }

  /** Waits for the transactions already submitted (SQLite) and a last checkpoint, then closes. */
  async close(): Promise<void> {
    await this.commits?.idle();
    await this.checkpointer?.close();
    await this.db.destroy();
  }
}

/**
 * Kysely's SQLite driver prepares every query again; preparing costs more than running most of ours.
 * Statements are reused by their SQL text (the parameters differ per call), the oldest dropped past
 * STATEMENTS. Safe because better-sqlite3 runs a statement to completion before returning, and SQLite
 * re-prepares a cached statement by itself after a schema change.
 */
function withStatementCache(sqlite: SqliteDatabase.Database) {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      let stmt = statements.get(text);
      if (!stmt) {
        stmt = sqlite.prepare(text);
        if (statements.size >= STATEMENTS) statements.delete(statements.keys().next().value as string);
        statements.set(text, stmt);
      }
      return stmt;
    },
  };
}
const STATEMENTS = 2000;

/** A logical transaction waiting for its turn in a group. */
interface Waiting {
  /** Runs the callback; resolves to the acknowledgement, to be called once the group committed. */
  attempt(db: Executor): Promise<() => void>;
  fail(err: unknown): void;
  /** Asked after a successful attempt: must the group commit before anything else runs? */
  endsGroup(): boolean;
}

/**
 * Group commit on SQLite's one connection: one fsync for many logical transactions.
 *
 * States: idle (nothing queued, no physical transaction) → open (the leader holds the connection,
 * `BEGIN IMMEDIATE` done, and runs the queue's logical transactions one at a time, each in a
 * savepoint) → COMMIT → idle, or open again for whatever queued meanwhile.
 *
 * Invariants:
 * - Nothing is acknowledged before its fsync: a logical transaction resolves only after the COMMIT
 *   of its group returned; if that COMMIT fails, every logical transaction of the group rejects.
 * - One failure stays its own: a callback that throws is rolled back to its savepoint and rejects
 *   alone. Only when SQLite ended the whole transaction itself (it may on SQLITE_FULL, IOERR, BUSY,
 *   NOMEM) does the group fail, as it would at a failed COMMIT.
 * - A logical transaction sees committed data plus the writes of earlier members of its own group,
 *   so whatever it read shares its fate. The leader holds Kysely's connection mutex for the whole
 *   group, so statements outside `transaction()` (`database.db`) wait for the COMMIT: they never
 *   read uncommitted writes, and an autocommit write never joins, and is never acknowledged before,
 *   a group's fsync (docs/storage.md).
 * - The group commits once the queue is still empty after one turn of the event loop (requests that
 *   are ready get to join), or after GROUP_MAX members or GROUP_MAX_OPEN_MS, so outside statements
 *   and later transactions wait at most about that long plus one fsync.
 * - A member whose hooks feed in-memory state (`onCommit(…, { feedsMemory })`: a graph change) ends its group: its
 *   hooks have run before the next member starts, so no transaction pairs a database row with
 *   in-memory state that does not know it yet.
 * - A failed `BEGIN IMMEDIATE` (SQLITE_BUSY: another process holds the write lock) ran nothing; every
 *   waiting logical transaction rejects with it and `transaction()` retries each on its own backoff.
 * - Fairness: after a physical transaction that held the write lock LONG_HOLD_MS or more, no BEGIN
 *   for FAIR_GAP_MS, so another process's busy handler (which polls) gets the lock in between.
 */
class GroupCommit {
  private readonly queue: Waiting[] = [];
  private draining: Promise<void> | undefined;
  /** No BEGIN before this (performance.now()): the write lock is left to other processes until then. */
  private freeUntil = 0;

  constructor(
    private readonly db: Executor,
    private readonly sqlite: SqliteDatabase.Database,
  ) {}

  run<T>(body: (db: Executor) => Promise<T>, endsGroup: () => boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        attempt: async (db) => {
          const value = await body(db);
          return () => resolve(value);
        },
        fail: reject,
        endsGroup,
      });
      this.draining ??= this.drain();
    });
  }

  /** Resolves when nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const gap = this.freeUntil - performance.now();
        if (gap > 0) await sleep(gap);
        await this.group();
      }
    } finally {
      this.draining = undefined;
    }
  }

  /** One physical transaction. Never throws: every outcome goes to the logical transactions. */
  private async group(): Promise<void> {
    const ran: Array<{ ack: () => void; fail: (err: unknown) => void }> = [];
    let began = false;
    let opened = 0;
    let current: Waiting | undefined;
    try {
      await this.db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        began = true;
        opened = performance.now();
        try {
          for (let n = 0; n < GROUP_MAX && performance.now() - opened < GROUP_MAX_OPEN_MS; n++) {
            current = this.queue.shift();
            if (!current) {
              await nextTurn();
              current = this.queue.shift();
              if (!current) break;
            }
            await sql`savepoint rapport_tx`.execute(conn);
            let ends = false;
            try {
              // Its own executor object, so `txOf(db)` finds this transaction's hooks.
              const ack = await current.attempt(conn.withoutPlugins());
              await sql`release rapport_tx`.execute(conn);
              ran.push({ ack, fail: current.fail });
              ends = current.endsGroup();
            } catch (err) {
              if (!this.sqlite.inTransaction) throw err;
              await sql`rollback to rapport_tx`.execute(conn);
              await sql`release rapport_tx`.execute(conn);
              current.fail(err);
            }
            current = undefined;
            if (ends) break;
          }
          await sql`commit`.execute(conn);
        } catch (err) {
          // A deferred constraint leaves the transaction open after a failed COMMIT; an I/O error may not.
          await sql`rollback`.execute(conn).catch(() => undefined);
          throw err;
        }
      });
    } catch (err) {
      // BEGIN failed (nothing ran: everyone waiting fails and retries on its own), or the physical transaction did.
      if (began) this.leaveLockAfter(opened);
      if (!began) for (const waiting of this.queue.splice(0)) waiting.fail(err);
      current?.fail(err);
      for (const member of ran) member.fail(err);
      return;
    }
    if (began) this.leaveLockAfter(opened);
    // In commit order, once the connection is free again. Each caller runs its hooks as its promise
    // resolves: microtasks queued here, so before `drain` starts the next group.
    for (const member of ran) member.ack();
  }

  private leaveLockAfter(opened: number): void {
    const now = performance.now();
    if (now - opened >= LONG_HOLD_MS) this.freeUntil = now + FAIR_GAP_MS;
  }
}

const GROUP_MAX = 64;
const GROUP_MAX_OPEN_MS = 15;
/**
 * Fairness towards other processes: a physical transaction that held the write lock this long
 * (bulk work: the demo seed at a first start) is followed by FAIR_GAP_MS without BEGIN. SQLite's
 * busy handler polls at most every 100 ms, so a gap longer than that always lets a waiting process
 * in; back-to-back transactions otherwise starve it past its busy timeout (a starting serve that
 * seeded kept a `rapport worker` out for 2.3 s). Request traffic never gets there.
 */
const LONG_HOLD_MS = 100;
const FAIR_GAP_MS = 110;
const nextTurn = () => new Promise<void>((r) => setImmediate(r));

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** Busy/lock/serialization failures that a retry of the whole transaction resolves. */
function isTransient(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === '40001' || code === '40P01';
}

/** A unique or primary-key constraint fired: the database refused a duplicate. */
export function isUniqueViolation(err: unknown): boolean {
  const code = errorCode(err);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
