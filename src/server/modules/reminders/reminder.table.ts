/**
 * One row per reminder an invitation has been given: unique (invitation_id, number), so a reminder
 * number is recorded once however often the scan runs. `day` (UTC yyyy-mm-dd) is the digest it
 * belongs to; `email_id` is the digest email that listed it (null until composed, or if it had
 * stopped waiting by then).
 */
export interface InvitationReminderTable {
  invitation_id: string;
  number: number;
  recipient_id: string;
  day: string;
  email_id: string | null;
  created_at: string;
}
