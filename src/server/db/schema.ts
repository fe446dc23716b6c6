import type { ApiTokenTable, AuthAttemptTable, EmailChangeTable, PasswordResetTable, SessionTable } from '../modules/auth/auth.table.js';
import type {
  BlockTable,
  ConnectionTable,
  InvitationEventTable,
  InvitationTable,
  PairBarTable,
  SpamReportTable,
} from '../modules/invitations/invitation.table.js';
import type { AppealTable, AuditTable, EnforcementTable, SafetyEvaluationTable, StandingTable } from '../modules/safety/safety.table.js';
import type { JobTable } from '../jobs/job.table.js';
import type { SequenceEnrolmentTable } from '../jobs/sequence.table.js';
import type { EmailPreferenceTable, EmailSuppressionTable, EmailTable, MessageDigestQueueTable, SettingTable } from '../modules/mail/email.table.js';
import type { InvitationReminderTable } from '../modules/reminders/reminder.table.js';
import type { EducationTable, MemberTable, PositionTable } from '../modules/members/member.table.js';
import type { ConversationMemberTable, ConversationTable, MessageTable } from '../modules/messaging/messaging.table.js';
import type { NotificationTable } from '../modules/notifications/notification.table.js';

export interface DB {
  members: MemberTable;
  positions: PositionTable;
  educations: EducationTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  auth_attempts: AuthAttemptTable;
  password_resets: PasswordResetTable;
  email_changes: EmailChangeTable;
  emails: EmailTable;
  invitations: InvitationTable;
  invitation_events: InvitationEventTable;
  connections: ConnectionTable;
  pair_bars: PairBarTable;
  spam_reports: SpamReportTable;
  blocks: BlockTable;
  conversations: ConversationTable;
  messages: MessageTable;
  conversation_members: ConversationMemberTable;
  notifications: NotificationTable;
  standings: StandingTable;
  safety_evaluations: SafetyEvaluationTable;
  enforcements: EnforcementTable;
  appeals: AppealTable;
  audit_log: AuditTable;
  jobs: JobTable;
  sequence_enrolments: SequenceEnrolmentTable;
  settings: SettingTable;
  email_preferences: EmailPreferenceTable;
  email_suppressions: EmailSuppressionTable;
  invitation_reminders: InvitationReminderTable;
  message_digest_queue: MessageDigestQueueTable;
}
