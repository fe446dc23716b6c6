/**
 * Runs jobs: claims due ones (up to `concurrency` at a time), validates each payload against its
 * handler's schema, runs it, and marks it done or failed. `stop()` drains: it claims nothing new and
 * waits for the jobs in flight. Runs inside `rapport serve` by default, or alone as `rapport worker`.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import { newId } from '../ids.js';
import type { ClaimedJob, JobDefinition, JobQueue } from './queue.js';

export interface WorkerOptions {
  concurrency: number;
  pollMs: number;
  leaseMs: number;
}

export class Worker {
  readonly id = `worker-${process.pid}-${newId().slice(-8)}`;
  /** name → runner that validates the payload against the handler's schema, then runs it. */
  private readonly runners = new Map<string, (raw: unknown, job: ClaimedJob) => Promise<void>>();
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inflight = new Set<Promise<void>>();
  private wake: (() => void) | undefined;

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
      const jobs = await this.queue.claim(this.id, this.opts.concurrency, this.opts.leaseMs);
      if (jobs.length === 0) return ran;
      await Promise.all(jobs.map((j) => this.execute(j)));
      ran += jobs.length;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      const free = this.opts.concurrency - this.inflight.size;
      let claimed: ClaimedJob[] = [];
      if (free > 0) {
        try {
          claimed = await this.queue.claim(this.id, free, this.opts.leaseMs);
        } catch (err) {
          this.log.error({ err }, 'claiming jobs failed');
        }
      }
      for (const job of claimed) {
        const p = this.execute(job).finally(() => {
          this.inflight.delete(p);
          this.wake?.();
        });
        this.inflight.add(p);
      }
      if (claimed.length === 0 || this.inflight.size >= this.opts.concurrency) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.opts.pollMs);
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
