import type { EmailKind } from './email.kinds.js';

/** Every email Rapport sends is first written here, in the transaction that caused it. */
export interface EmailTable {
  id: string;
  to_address: string;
  /** invitations | reminders | messages | account (transactional: no preference, no unsubscribe header). */
  category: string;
  subject: string;
  text_body: string;
  html_body: string;
  message_id: string;
  created_at: string;
  sent_at: string | null;
  /** The member it is for, when it is for a member: preferences and the unsubscribe token are theirs. */
  member_id: string | null;
  /** Which send-time check applies (email.kinds.ts); null: only the generic ones. */
  kind: EmailKind | null;
  /** JSON for that check (e.g. the invitations a reminder digest lists), parsed by the check. */
  context: string | null;
  /** Set instead of `sent_at` when a send-time check refused it: it is never sent. */
  skipped_reason: string | null;
  skipped_at: string | null;
  /** SMTP attempts, each committed before it starts: a resend is always an attempt after the first. */
  send_attempts: number;
  last_attempt_at: string | null;
}

/** Absent row = enabled (the default for every optional category). */
export interface EmailPreferenceTable {
  member_id: string;
  category: string;
  enabled: 0 | 1;
  updated_at: string;
}

/** Addresses nothing is sent to (hard bounces, complaints, an operator's list), whatever the category. */
export interface EmailSuppressionTable {
  address: string;
  reason: string;
  created_at: string;
}
