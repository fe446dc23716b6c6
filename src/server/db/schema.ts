import type { ApiTokenTable, AuthAttemptTable, PasswordResetTable, SessionTable } from '../modules/auth/auth.table.js';
import type {
  BlockTable,
  ConnectionTable,
  ConversationTable,
  InvitationEventTable,
  InvitationTable,
  MessageTable,
  PairBarTable,
  SpamReportTable,
} from '../modules/invitations/invitation.table.js';
import type { AppealTable, AuditTable, EnforcementTable, StandingTable } from '../modules/safety/safety.table.js';
import type { JobTable } from '../jobs/job.table.js';
import type { EmailTable } from '../modules/mail/email.table.js';
import type { EducationTable, MemberTable, PositionTable } from '../modules/members/member.table.js';

export interface DB {
  members: MemberTable;
  positions: PositionTable;
  educations: EducationTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  auth_attempts: AuthAttemptTable;
  password_resets: PasswordResetTable;
  emails: EmailTable;
  invitations: InvitationTable;
  invitation_events: InvitationEventTable;
  connections: ConnectionTable;
  pair_bars: PairBarTable;
  spam_reports: SpamReportTable;
  blocks: BlockTable;
  conversations: ConversationTable;
  messages: MessageTable;
  standings: StandingTable;
  enforcements: EnforcementTable;
  appeals: AppealTable;
  audit_log: AuditTable;
  jobs: JobTable;
}
