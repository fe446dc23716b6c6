/**
 * The job registry, composed next to the context (which registers the send-time checks): every
 * module's jobs, from its `<module>.jobs.ts`. jobs/ knows no module; this file is where they meet.
 */
import type { AppContext } from './context.js';
import { createWorker as workerFor, scheduleRecurring as schedule, type Registry } from './jobs/registry.js';
import type { ModuleJobs } from './jobs/queue.js';
import type { Worker } from './jobs/worker.js';
import { invitationJobs } from './modules/invitations/invitation.jobs.js';
import { mailJobs } from './modules/mail/mail.jobs.js';
import { messagingJobs } from './modules/messaging/index.js';

/** Every job Rapport runs, by module. */
function modules(ctx: AppContext): ModuleJobs[] {
  return [
    mailJobs(ctx.mailer),
    messagingJobs(ctx.messageDigests),
    invitationJobs(ctx.invitations),
    // Every sequence's steps (the invitation reminders' among them) run as the runner's one job.
    { jobs: [ctx.sequences.job] },
    { jobs: [ctx.reminders.digestJob] },
    // The only thing that moves the safety ladder: on a schedule, never on an answer (docs/safety.md).
    { recurring: [{ name: 'safety.evaluate', everyMs: ctx.config.SAFETY_EVALUATION_MINUTES * 60_000, run: () => ctx.safety.evaluateDue() }] },
  ];
}

const registry = (ctx: AppContext): Registry => ({ database: ctx.database, clock: ctx.clock, jobs: ctx.jobs, log: ctx.log, modules: modules(ctx) });

export function createWorker(ctx: AppContext): Worker {
  return workerFor(registry(ctx), {
    concurrency: ctx.config.WORKER_CONCURRENCY,
    pollMs: ctx.config.WORKER_POLL_MS,
    leaseMs: ctx.config.WORKER_LEASE_SECONDS * 1000,
  });
}

/** Make sure each recurring job has its next run queued (idempotent: keyed). */
export function scheduleRecurring(ctx: AppContext): Promise<void> {
  return schedule(registry(ctx));
}
