/**
 * What the account module asks of the modules that own a member's data, declared here as the
 * shapes it calls (context.ts hands in the real services, which fit them). The account module
 * owns no table; declaring what it needs, rather than importing each service, keeps it from
 * depending on every module's internals and lets the type checker name exactly the calls it makes.
 */
import type { DataExport } from '../../../contracts/account.js';
import type { EmailPreferences } from '../../../contracts/email.js';
import type { ReceivedInvitation, SentInvitation } from '../../../contracts/invitations.js';
import type { NotificationsPage } from '../../../contracts/notifications.js';
import type { Executor } from '../../db/database.js';
import type { AccountMailer, AccountService } from '../auth/index.js';
import type { MemberService } from '../members/index.js';

export interface InvitationParts {
  /** Withdraw the member's open sent invitations, expire the received ones, silently. */
  closeForDeletedAccount(db: Executor, memberId: string, now: string): Promise<void>;
  /** The member's invitations as they may see them (a sender's view never shows the other side's answer). */
  exportFor(memberId: string): Promise<{ sent: SentInvitation[]; received: ReceivedInvitation[] }>;
}

export interface ConnectionParts {
  removeAllOf(db: Executor, memberId: string, now: string): Promise<void>;
}

export interface MessagingParts {
  leaveAll(db: Executor, memberId: string): Promise<void>;
  exportFor(memberId: string): Promise<DataExport['messages']>;
}

export interface NotificationParts {
  forgetMember(db: Executor, memberId: string): Promise<void>;
  list(memberId: string, unreadOnly: boolean, cursor: string | undefined, limit: number): Promise<NotificationsPage>;
}

export interface PreferenceParts {
  get(memberId: string): Promise<EmailPreferences>;
  turnAllOff(db: Executor, memberId: string): Promise<void>;
}

export interface DeletionParts {
  account: AccountService;
  invitations: InvitationParts;
  connections: ConnectionParts;
  messaging: MessagingParts;
  notifications: NotificationParts;
  members: MemberService;
  mailer: AccountMailer & { preferences: PreferenceParts };
}

export interface ExportParts {
  account: AccountService;
  members: MemberService;
  invitations: InvitationParts;
  messaging: MessagingParts;
  notifications: NotificationParts;
  preferences: PreferenceParts;
}
