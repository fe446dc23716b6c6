/**
 * A worker for a given set of jobs, and the recurring ones kept scheduled by key. Knows no module:
 * the app hands in every module's `ModuleJobs` (src/server/context.jobs.ts), as graphile-worker's
 * `run({ taskList })` takes a plain map of handlers.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import type { JobDefinition, JobQueue, ModuleJobs, RecurringJob } from './queue.js';
import { Worker, type WorkerOptions } from './worker.js';

export interface Registry {
  database: Database;
  clock: Clock;
  jobs: JobQueue;
  log: Logger;
  modules: ModuleJobs[];
}

const key = (name: string) => `cron:${name}`;

/** A recurring job re-enqueues its next run by key after each run; the key keeps one queued copy. */
function recurringDefinition(r: Registry, job: RecurringJob): JobDefinition<z.ZodObject> {
  const def: JobDefinition<z.ZodObject> = {
    name: job.name,
    schema: z.object({}),
    run: async () => {
      await job.run();
      await r.database.transaction((tx) => r.jobs.enqueue(tx, def, {}, { key: key(job.name), runAt: new Date(r.clock.now().getTime() + job.everyMs) }));
    },
  };
  return def;
}

const recurringOf = (r: Registry) => r.modules.flatMap((m) => m.recurring ?? []);

export function createWorker(r: Registry, opts: WorkerOptions): Worker {
  const worker = new Worker(r.jobs, r.log, opts);
  for (const m of r.modules) for (const def of m.jobs ?? []) worker.register(def);
  for (const job of recurringOf(r)) worker.register(recurringDefinition(r, job));
  return worker;
}

/** Make sure each recurring job has its next run queued (idempotent: keyed). */
export async function scheduleRecurring(r: Registry): Promise<void> {
  await r.database.transaction(async (tx) => {
    for (const job of recurringOf(r)) await r.jobs.enqueue(tx, { name: job.name }, {}, { key: key(job.name) });
  });
}
