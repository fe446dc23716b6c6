import type { NotificationKind } from '../../../contracts/notifications.js';

/**
 * In-app notifications. `subject_id` is the invitation (invitation_received, invitation_accepted)
 * or the conversation (message_received). At most one unread row per (member, kind, subject): a
 * unique partial index; new messages collapse into the unread row of their conversation.
 */
export interface NotificationTable {
  id: string;
  member_id: string;
  kind: NotificationKind;
  actor_id: string;
  subject_id: string;
  /** How many events this row stands for (messages collapsed into it); 1 for invitations. */
  occurrences: number;
  created_at: string;
  /** The latest event it stands for; the sort key. */
  updated_at: string;
  read_at: string | null;
}
