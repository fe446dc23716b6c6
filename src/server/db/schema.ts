import type { ApiTokenTable, AuthAttemptTable, PasswordResetTable, SessionTable } from '../modules/auth/auth.table.js';
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
}
