/** What invitations/ runs on the queue: the expiry sweep, every 15 minutes (composed in context.jobs.ts). */
import type { ModuleJobs } from '../../jobs/queue.js';
import type { InvitationService } from './invitation.service.js';

const EXPIRY_EVERY_MS = 15 * 60 * 1000;

export function invitationJobs(invitations: InvitationService): ModuleJobs {
  return { recurring: [{ name: 'invitations.expire', everyMs: EXPIRY_EVERY_MS, run: () => invitations.expireDue() }] };
}
