/**
 * What other modules may use of invitations/ (the `invitations`, `invitation_events` and
 * `pair_bars` tables are its own, and so is the state machine: invitation.service.ts).
 */
import type { Executor } from '../../db/database.js';
import { appendEvent } from './invitation.repository.js';

export { InvitationService, type InvitationEffects, type InvitationSettings } from './invitation.service.js';
export { InvitationEmails, invitationEmailCheck } from './invitation.emails.js';
export { stillWaiting, type WaitingInvitation } from './invitation.waiting.js';
export { counterpartsOf, findById as findInvitation, findByIds as findInvitations, isOpenAt, openWaitingFor, pairKey, type InvitationRow } from './invitation.repository.js';
/** The reads the safety ladder asks for (context.ts hands them to safety/, which declares their shape). */
export * as invitationSignals from './invitation.signals.js';

/** The recipient wrote in the reply thread opened from the invitation (messaging/): the log shows it to them. */
export function recordReply(db: Executor, invitationId: string, recipientId: string, now: string): Promise<void> {
  return appendEvent(db, invitationId, recipientId, 'replied', now);
}
/** Row types, for the seed's bulk loader (src/cli/seed-network.ts), the one writer outside this module. */
export type { InvitationEventTable, InvitationTable } from './invitation.table.js';
