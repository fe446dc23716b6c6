/**
 * A small durable job queue in the app's own database (docs/jobs.md).
 *
 * Semantics: at-least-once. A job is enqueued inside the transaction of the change that causes it,
 * so it exists iff that change committed. A worker claims due jobs by taking a lease
 * (`locked_until`); a job whose lease passed (its worker crashed) is claimed again. Success marks it
 * done; failure requeues it with exponential backoff, e^min(attempts, 10) seconds, until
 * `max_attempts`, then it is failed (kept for inspection). Handlers must therefore be idempotent.
 *
 * Keys: at most one *queued* job per key (unique partial index). `dedupe` keeps the queued job as it
 * is; `debounce` replaces its payload and moves its run time to the new one.
 *
 * Every write is a `transaction()`, so SQLITE_BUSY (another process holding the write lock) is retried
 * with backoff rather than failing a job that already did its work.
 *
 * Claims: PostgreSQL uses `FOR UPDATE SKIP LOCKED`, so several workers never claim the same job;
 * SQLite serialises claims with `BEGIN IMMEDIATE`.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { z } from 'zod';
import type { Clock } from '../clock.js';
import { isUniqueViolation, type Database, type Executor, type Tx } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { newId } from '../ids.js';
import type { JobTable } from './job.table.js';

export interface EnqueueOptions {
  runAt?: Date;
  key?: string;
  mode?: 'dedupe' | 'debounce';
  maxAttempts?: number;
}

export interface JobDefinition<S extends z.ZodType> {
  name: string;
  schema: S;
  run(payload: z.infer<S>, job: { id: string; attempts: number }): Promise<void>;
  maxAttempts?: number;
  /**
   * The same work inside a transaction the worker opens, which also marks the job done: effect and
   * completion commit together (one transaction per job instead of two; the sequence runner).
   */
  runIn?(tx: Tx, payload: z.infer<S>, job: { id: string; attempts: number }): Promise<void>;
  /**
   * A batch of these jobs in one transaction that also claims and completes them (`runBatch`): for
   * handlers whose every effect is in the database, so a crash rolls back the whole batch.
   */
  runManyIn?(tx: Tx, payloads: Array<z.infer<S>>): Promise<void>;
}

export type ClaimedJob = JobTable;
/** What a batch run (`runBatch`) sees of its jobs: they are done by the time it runs. */
export type BatchJob = Pick<JobTable, 'id' | 'name' | 'payload'>;

/** A job that runs every `everyMs`: kept queued by key `cron:<name>` (registry.ts). */
export interface RecurringJob {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

/** What one module runs on the queue, exported from its `<module>.jobs.ts`; the app composes them. */
export interface ModuleJobs {
  jobs?: Array<JobDefinition<z.ZodType>>;
  recurring?: RecurringJob[];
}

/**
 * The state predicates as SQL text, never parameters: the key index's ON CONFLICT target must repeat
 * its predicate literally (SQLite compares the text), and SQLite uses the partial claim indexes
 * (migration 0014) only for a WHERE that states their predicate.
 */
const queuedLiteral = sql<boolean>`"state" = 'queued'`;
const runningLiteral = sql<boolean>`"state" = 'running'`;

const MAX_ATTEMPTS = 10;
/** While a backlog drains, `runBatch` looks for expired leases once every this many batches. */
const EXPIRED_EVERY = 16;
export const backoffMs = (attempts: number) => Math.round(Math.exp(Math.min(attempts, 10)) * 1000);

export class JobQueue {
  /** Called after a commit that enqueued work, so a local worker can start at once. */
  private listeners: Array<() => void> = [];
  private lastBatchFull = false;
  private batchesSinceExpired = 0;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  onEnqueue(listener: () => void): void {
    this.listeners.push(listener);
  }

  async enqueue<S extends z.ZodType>(tx: Tx, def: Pick<JobDefinition<S>, 'name'>, payload: z.infer<S>, opts: EnqueueOptions = {}): Promise<void> {
    const now = this.clock.now().toISOString();
    const row: JobTable = {
      id: newId(),
      name: def.name,
      payload: JSON.stringify(payload),
      key: opts.key ?? null,
      state: 'queued',
      run_at: (opts.runAt ?? this.clock.now()).toISOString(),
      attempts: 0,
      max_attempts: opts.maxAttempts ?? MAX_ATTEMPTS,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    };
    const insert = tx.db.insertInto('jobs').values(row);
    // The conflict target must repeat the partial index's predicate literally (SQLite compares the text).
    if (row.key === null) await insert.execute();
    else if (opts.mode === 'debounce') {
      await insert.onConflict((oc) => oc.column('key').where(queuedLiteral).doUpdateSet({ payload: row.payload, run_at: row.run_at, updated_at: now })).execute();
    } else {
      await insert.onConflict((oc) => oc.column('key').where(queuedLiteral).doNothing()).execute();
    }
    tx.onCommit(() => this.listeners.forEach((l) => l()));
  }

  /**
   * Lease up to `limit` due jobs (queued and due, or running with an expired lease); only of the
   * names in `only`, or of none in `except`, when given.
   */
  async claim(workerId: string, limit: number, leaseMs: number, names: { only?: string[]; except?: string[] } = {}): Promise<ClaimedJob[]> {
    return this.database.transaction(async (tx) => {
      const now = this.clock.now();
      const nowIso = now.toISOString();
      const ids = (await this.due(tx.db, nowIso, limit, names)).map((r) => r.id);
      if (ids.length === 0) return [];
      return tx.db
        .updateTable('jobs')
        .set((eb) => ({
          state: 'running',
          locked_by: workerId,
          locked_until: new Date(now.getTime() + leaseMs).toISOString(),
          attempts: eb('attempts', '+', 1),
          updated_at: nowIso,
        }))
        .where('id', 'in', ids)
        .returningAll()
        .execute();
    });
  }

  /** Done, if this worker still holds the lease (otherwise another worker took over; fine). */
  async complete(job: ClaimedJob, workerId: string): Promise<void> {
    await this.database.transaction((tx) =>
      held(tx.db, job, workerId)
        .set({ state: 'done', locked_by: null, locked_until: null, last_error: null, updated_at: this.clock.now().toISOString() })
        .execute(),
    );
  }

  /**
   * Run `work` and mark the job done in one transaction, if this worker still holds the lease;
   * otherwise roll the work back (another worker took the job over and runs it).
   */
  async completeWith(job: ClaimedJob, workerId: string, work: (tx: Tx) => Promise<void>): Promise<void> {
    await this.database.transaction(async (tx) => {
      await work(tx);
      const done = await held(tx.db, job, workerId)
        .set({ state: 'done', locked_by: null, locked_until: null, last_error: null, updated_at: this.clock.now().toISOString() })
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) throw new Error(`lease on job ${job.id} lost; its work is rolled back`);
    });
  }

  /**
   * Claim up to `limit` due jobs of `names`, mark them done and run `work` on them, all in one
   * transaction: no lease, because nothing of the batch survives a crash or a failure (the jobs are
   * still queued after a rollback). PostgreSQL skips rows other workers hold; SQLite runs one
   * transaction at a time. Done is written first, so `work` may queue a job with the same key.
   *
   * The claim is ONE statement, `update … where id in (select … limit n) returning …` (B6). Jobs of
   * these names whose lease passed (a one-by-one fallback run whose worker died) are looked for
   * first, but while a backlog drains (the last batch was full) only every EXPIRED_EVERY batches.
   */
  async runBatch(names: string[], limit: number, work: (tx: Tx, jobs: BatchJob[]) => Promise<void>): Promise<number> {
    const lookForExpired = !this.lastBatchFull || this.batchesSinceExpired >= EXPIRED_EVERY;
    const n = await this.database.transaction(async (tx) => {
      const nowIso = this.clock.now().toISOString();
      const done = (eb: ExpressionBuilder<DB, 'jobs'>) => ({ state: 'done' as const, attempts: eb('attempts', '+', 1), locked_by: null, locked_until: null, last_error: null, updated_at: nowIso });
      let jobs: BatchJob[] = [];
      if (lookForExpired) {
        const expired = await this.pick(tx.db, 'running', nowIso, { only: names }).select('id').limit(limit).execute();
        if (expired.length > 0) {
          jobs = await tx.db.updateTable('jobs').set(done).where('id', 'in', expired.map((j) => j.id)).returning(['id', 'name', 'payload']).execute();
        }
      }
      if (jobs.length < limit) {
        const due = this.pick(tx.db, 'queued', nowIso, { only: names }).select('id').limit(limit - jobs.length);
        jobs = jobs.concat(await tx.db.updateTable('jobs').set(done).where('id', 'in', due).returning(['id', 'name', 'payload']).execute());
      }
      if (jobs.length === 0) return 0;
      await work(tx, jobs);
      return jobs.length;
    });
    this.lastBatchFull = n >= limit;
    this.batchesSinceExpired = lookForExpired ? 0 : this.batchesSinceExpired + 1;
    return n;
  }

  /** `enqueue` of many jobs of one definition in one statement (keys distinct; debounce or dedupe). */
  async enqueueMany<S extends z.ZodType>(tx: Tx, def: Pick<JobDefinition<S>, 'name'>, items: Array<{ payload: z.infer<S>; key: string; runAt: Date }>, mode: 'dedupe' | 'debounce'): Promise<void> {
    if (items.length === 0) return;
    const now = this.clock.now().toISOString();
    const rows: JobTable[] = items.map((item) => ({
      id: newId(), name: def.name, payload: JSON.stringify(item.payload), key: item.key, state: 'queued', run_at: item.runAt.toISOString(), attempts: 0,
      max_attempts: MAX_ATTEMPTS, locked_by: null, locked_until: null, last_error: null, created_at: now, updated_at: now,
    }));
    await tx.db
      .insertInto('jobs')
      .values(rows)
      .onConflict((oc) => {
        const target = oc.column('key').where(queuedLiteral);
        return mode === 'dedupe' ? target.doNothing() : target.doUpdateSet((eb) => ({ payload: eb.ref('excluded.payload'), run_at: eb.ref('excluded.run_at'), updated_at: now }));
      })
      .execute();
    tx.onCommit(() => this.listeners.forEach((l) => l()));
  }

  /** Requeue with backoff, or fail for good when attempts are used up or a retry cannot help. */
  async fail(job: ClaimedJob, workerId: string, error: unknown, permanent = false): Promise<void> {
    const now = this.clock.now();
    const message = error instanceof Error ? error.message : String(error);
    const dead = permanent || job.attempts >= job.max_attempts;
    const requeue = (db: Executor) =>
      held(db, job, workerId)
        .set({
          state: dead ? 'failed' : 'queued',
          run_at: dead ? job.run_at : new Date(now.getTime() + backoffMs(job.attempts)).toISOString(),
          locked_by: null,
          locked_until: null,
          last_error: message.slice(0, 2000),
          updated_at: now.toISOString(),
        })
        .execute();
    await this.database.transaction((tx) => requeue(tx.db)).catch(async (err: unknown) => {
      if (!isUniqueViolation(err)) throw err;
      // A queued job with the same key appeared meanwhile: this retry is superseded by it.
      await this.database.transaction((tx) => held(tx.db, job, workerId).set({ state: 'done', last_error: `superseded: ${String(err)}`.slice(0, 2000) }).execute());
    });
  }

  /**
   * Up to `limit` claimable jobs: first those whose lease passed (their worker died), then the due
   * queued ones in run_at order. Two queries, so each walks its index (jobs_lease, jobs_due or
   * jobs_named_due) and stops at `limit`, however long the backlog.
   */
  private async due(db: Executor, nowIso: string, limit: number, names: { only?: string[]; except?: string[] }): Promise<JobTable[]> {
    const expired = await this.pick(db, 'running', nowIso, names).selectAll().limit(limit).execute();
    if (expired.length >= limit) return expired;
    return [...expired, ...(await this.pick(db, 'queued', nowIso, names).selectAll().limit(limit - expired.length).execute())];
  }

  /** Claimable jobs of one kind (due queued ones, or running ones whose lease passed), in claim order, locked. */
  private pick(db: Executor, state: 'queued' | 'running', nowIso: string, names: { only?: string[]; except?: string[] }) {
    let q = db
      .selectFrom('jobs')
      // Literal, not a parameter: the claim indexes are partial on exactly this (migration 0014).
      .where(state === 'queued' ? queuedLiteral : runningLiteral)
      .$if(names.only !== undefined, (b) => b.where('name', 'in', names.only ?? []))
      .$if((names.except?.length ?? 0) > 0, (b) => b.where('name', 'not in', names.except ?? []));
    q = state === 'queued' ? q.where('run_at', '<=', nowIso).orderBy('run_at').orderBy('id') : q.where('locked_until', '<', nowIso).orderBy('locked_until');
    return this.database.dialect === 'postgres' ? q.forUpdate().skipLocked() : q;
  }

  /** The queue's clock (the worker's idle sleep compares it with `nextDue`). */
  now(): Date {
    return this.clock.now();
  }

  /** The earliest time any job becomes claimable, for the worker's sleep. */
  async nextDue(): Promise<Date | undefined> {
    const row = await this.database.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.min('run_at').as('at'))
      .where(queuedLiteral)
      .executeTakeFirst();
    return row?.at ? new Date(row.at) : undefined;
  }
}

function held(db: Executor, job: ClaimedJob, workerId: string) {
  return db.updateTable('jobs').where('id', '=', job.id).where('state', '=', 'running').where('locked_by', '=', workerId);
}
