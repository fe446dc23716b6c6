/** Every job Rapport runs, registered on a worker; and the recurring ones, kept scheduled by key. */
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { JobDefinition } from './queue.js';
import { Worker } from './worker.js';

const EXPIRY_EVERY_MS = 15 * 60 * 1000;

interface Recurring {
  def: JobDefinition<z.ZodObject>;
  everyMs: number;
}

/** A recurring job re-enqueues its next run by key after each run; the key keeps one queued copy. */
function recurring(ctx: AppContext, name: string, everyMs: number, work: () => Promise<unknown>): Recurring {
  const def: JobDefinition<z.ZodObject> = {
    name,
    schema: z.object({}),
    run: async () => {
      await work();
      await ctx.database.transaction((tx) =>
        ctx.jobs.enqueue(tx, def, {}, { key: `cron:${name}`, runAt: new Date(ctx.clock.now().getTime() + everyMs) }),
      );
    },
  };
  return { def, everyMs };
}

export function recurringJobs(ctx: AppContext): Recurring[] {
  return [
    recurring(ctx, 'invitations.expire', EXPIRY_EVERY_MS, () => ctx.invitations.expireDue()),
    // The only thing that moves the safety ladder: on a schedule, never on an answer (docs/safety.md).
    recurring(ctx, 'safety.evaluate', ctx.config.SAFETY_EVALUATION_MINUTES * 60_000, () => ctx.safety.evaluateDue()),
  ];
}

export function createWorker(ctx: AppContext): Worker {
  const worker = new Worker(ctx.jobs, ctx.log, {
    concurrency: ctx.config.WORKER_CONCURRENCY,
    pollMs: ctx.config.WORKER_POLL_MS,
    leaseMs: ctx.config.WORKER_LEASE_SECONDS * 1000,
  });
  worker.register(ctx.mailer.job);
  worker.register(ctx.email.messageDigests.job);
  worker.register(ctx.email.reminders.digestJob);
  worker.register(ctx.sequences.job);
  for (const r of recurringJobs(ctx)) worker.register(r.def);
  return worker;
}

/** Make sure each recurring job has its next run queued (idempotent: keyed). */
export async function scheduleRecurring(ctx: AppContext): Promise<void> {
  await ctx.database.transaction(async (tx) => {
    for (const r of recurringJobs(ctx)) await ctx.jobs.enqueue(tx, r.def, {}, { key: `cron:${r.def.name}` });
  });
}
