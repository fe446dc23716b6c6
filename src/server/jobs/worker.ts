/**
 * Runs jobs: claims due ones (up to `concurrency` at a time), validates each payload against its
 * handler's schema, runs it, and marks it done or failed. Jobs whose definition has `runManyIn` (the
 * sequence steps) are taken apart, up to `batchSize` at a time: one transaction claims the batch,
 * runs it and completes it (`JobQueue.runBatch`). If that transaction fails, the next batch of them
 * is claimed with leases and run one by one, each in its own transaction, so one bad job costs the
 * others a retry, not a failure. `stop()` drains: it claims nothing new and
 * waits for the jobs in flight. Runs inside `rapport serve` by default, or alone as `rapport worker`.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import { newId } from '../ids.js';
import type { Tx } from '../db/database.js';
import type { ClaimedJob, JobDefinition, JobQueue } from './queue.js';

const OTHERS_EVERY_MS = 50;

export interface WorkerOptions {
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  /** How many `runManyIn` jobs one transaction may run (default 64). */
  batchSize?: number;
}

export class Worker {
  readonly id = `worker-${process.pid}-${newId().slice(-8)}`;
  /** name → runner that validates the payload against the handler's schema, then runs it. */
  private readonly runners = new Map<string, (raw: unknown, job: ClaimedJob) => Promise<void>>();
  /** name → a batch runner inside a transaction the queue owns (definitions with `runManyIn`). */
  private readonly batchable = new Map<string, (tx: Tx, raws: unknown[]) => Promise<void>>();
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inflight = new Set<Promise<void>>();
  private wake: (() => void) | undefined;
  private othersAt = 0;
  private othersFound = false;

  constructor(
    private readonly queue: JobQueue,
    private readonly log: Logger,
    private readonly opts: WorkerOptions,
  ) {
    queue.onEnqueue(() => this.wake?.());
  }

  register<S extends z.ZodType>(def: JobDefinition<S>): void {
    this.runners.set(def.name, async (raw, job) => {
      const parsed = def.schema.safeParse(raw);
      if (!parsed.success) throw new InvalidPayload(parsed.error.message);
      const handle = { id: job.id, attempts: job.attempts };
      const runIn = def.runIn?.bind(def);
      if (runIn) await this.queue.completeWith(job, this.id, (tx) => runIn(tx, parsed.data, handle));
      else {
        await def.run(parsed.data, handle);
        await this.queue.complete(job, this.id);
      }
    });
    const runManyIn = def.runManyIn?.bind(def);
    if (runManyIn) {
      this.batchable.set(def.name, async (tx, raws) => {
        const payloads = raws.map((raw) => {
          const parsed = def.schema.safeParse(raw);
          if (!parsed.success) throw new InvalidPayload(parsed.error.message);
          return parsed.data;
        });
        await runManyIn(tx, payloads);
      });
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stop claiming, then wait for every job in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.all([...this.inflight]);
  }

  /** Run every job that is due now, one batch after another, until none is left (tests and CLI). */
  async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      const batch = await this.dispatchBatch();
      const jobs = await this.queue.claim(this.id, this.opts.concurrency, this.opts.leaseMs, { except: [...this.batchable.keys()] });
      if (jobs.length === 0 && batch === 0) return ran;
      await Promise.all(jobs.map((j) => this.execute(j)));
      ran += jobs.length + batch;
    }
  }

  /** One batch of the `runManyIn` jobs; after a failed batch, the next ones one by one. Returns how many ran. */
  private async dispatchBatch(): Promise<number> {
    if (this.batchable.size === 0) return 0;
    const names = [...this.batchable.keys()];
    const size = this.opts.batchSize ?? 64;
    try {
      return await this.queue.runBatch(names, size, async (tx, jobs) => {
        for (const name of names) {
          const group = jobs.filter((j) => j.name === name);
          if (group.length) await this.batchable.get(name)?.(tx, group.map((j) => JSON.parse(j.payload)));
        }
      });
    } catch (err) {
      this.log.warn({ err }, 'a batch of jobs failed; running the next ones one by one');
      const jobs = await this.queue.claim(this.id, size, this.opts.leaseMs, { only: names });
      for (const job of jobs) await this.execute(job);
      return jobs.length;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let batch = 0;
      let claimed: ClaimedJob[] = [];
      try {
        batch = await this.dispatchBatch();
        // While a backlog of batches drains (a full batch), the other jobs are looked for every
        // OTHERS_EVERY_MS rather than after every batch: that claim walks past the backlog.
        const free = this.opts.concurrency - this.inflight.size;
        const draining = batch >= (this.opts.batchSize ?? 64) && !this.othersFound && performance.now() - this.othersAt < OTHERS_EVERY_MS;
        if (free > 0 && !draining) {
          claimed = await this.queue.claim(this.id, free, this.opts.leaseMs, { except: [...this.batchable.keys()] });
          this.othersAt = performance.now();
          this.othersFound = claimed.length > 0;
        }
      } catch (err) {
        this.log.error({ err }, 'claiming jobs failed');
      }
      for (const job of claimed) this.track(this.execute(job));
      if (this.inflight.size >= this.opts.concurrency) await this.sleep(this.opts.pollMs);
      else if (claimed.length === 0 && batch === 0) await this.sleep(await this.idleMs());
    }
  }

  /** Idle: sleep until the next job is due (at least 10 ms), at most `pollMs`; exact waits stay exact. */
  private async idleMs(): Promise<number> {
    const next = await this.queue.nextDue().catch(() => undefined);
    if (!next) return this.opts.pollMs;
    return Math.min(this.opts.pollMs, Math.max(10, next.getTime() - this.queue.now().getTime()));
  }

  private track(work: Promise<void>): void {
    const p = work.finally(() => {
      this.inflight.delete(p);
      this.wake?.();
    });
    this.inflight.add(p);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const runner = this.runners.get(job.name);
    try {
      if (!runner) throw new InvalidPayload(`no handler for ${job.name}`);
      await runner(JSON.parse(job.payload), job);
    } catch (err) {
      const permanent = err instanceof InvalidPayload;
      this.log[permanent ? 'error' : 'warn']({ err, job: job.id, name: job.name, attempts: job.attempts }, 'job failed');
      // Recording the failure can fail too (the database unreachable past every retry): the job
      // keeps its lease until it expires and is claimed again, so nothing is lost by going on.
      await this.queue.fail(job, this.id, err, permanent).catch((failErr: unknown) => this.log.error({ err: failErr, job: job.id }, 'could not record a job failure'));
    }
  }
}

/** A job that can never succeed as stored (unknown name, payload that fails its schema): no retries. */
class InvalidPayload extends Error {}
