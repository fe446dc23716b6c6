/**
 * A signed-in member's own credentials: password, email and sessions (docs/security.md,
 * "Account settings").
 *
 * Invariants:
 * - Changing the password or the email, and deleting the account, need the current password;
 *   wrong answers count against the member (`auth_attempts`, kind `password`), so a stolen session
 *   cannot guess it faster than a login could.
 * - A password change signs out every other session of the member, as GitHub does; the session
 *   that made the change and the API tokens stay. Unused password-reset links stop working.
 * - An email change takes effect only when the link sent to the new address is used: until then
 *   the old address signs in and receives mail. A link is single-use, expires after
 *   EMAIL_CHANGE_TTL_MS, is stored only as its SHA-256 hash, and a newer request voids older ones.
 *   When it is used, the old address is told where the account's email went.
 * - Every change that ends or alters a credential is published on the change feed in its
 *   transaction (AuthService.changed), so cached principals go at commit.
 */
import type { Clock } from '../../clock.js';
import { isUniqueViolation, type Database, type Executor } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { newId, newSecret, sha256 } from '../../ids.js';
import * as members from '../members/index.js';
import * as repo from './auth.repository.js';
import { escapeHtml } from '../mail/index.js';
import type { AccountMailer } from './auth.emails.js';
import type { AuthService } from './auth.service.js';
import type { PasswordHasher } from './password.js';
import type { AccountSettings, DataExport, SessionInfo } from '../../../contracts/account.js';

const EMAIL_CHANGE_TTL_MS = 24 * 60 * 60 * 1000;

export class AccountService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly auth: AuthService,
    private readonly passwords: PasswordHasher,
    private readonly mailer: AccountMailer,
    private readonly publicUrl: string,
  ) {}

  async settings(memberId: string): Promise<AccountSettings> {
    const db = this.database.db;
    const member = await this.member(db, memberId);
    const pending = await repo.pendingEmailChange(db, memberId, this.clock.now().toISOString());
    return { email: member.email, createdAt: member.created_at, pendingEmail: pending ? { email: pending.new_email, expiresAt: pending.expires_at } : null };
  }

  /**
   * Refuse unless `password` is the member's current one. Wrong answers are counted per member;
   * past LOGIN_FAILURES_PER_ACCOUNT in the window even the right one is RateLimited.
   */
  async verifyPassword(memberId: string, password: string): Promise<void> {
    await this.auth.throttle('password', memberId, false);
    const member = await this.member(this.database.db, memberId);
    if (!(await this.passwords.verify(member.password_hash, password))) {
      await this.auth.recordAttempt('password', memberId);
      throw new AppError('WrongPassword', 'Your current password is not right.');
    }
  }

  async changePassword(memberId: string, currentSessionId: string | undefined, currentPassword: string, newPassword: string): Promise<{ signedOut: number }> {
    await this.verifyPassword(memberId, currentPassword);
    const passwordHash = await this.passwords.hash(newPassword);
    const now = this.clock.now().toISOString();
    return this.database.transaction(async (tx) => {
      const member = await this.member(tx.db, memberId);
      await members.updateAccount(tx.db, memberId, { password_hash: passwordHash }, now);
      const ended = await repo.deleteOtherSessions(tx.db, memberId, currentSessionId);
      await repo.voidLinksOf(tx.db, memberId, now, ['password_resets']);
      for (const id of ended) await this.auth.changed(tx.db, 'session', id);
      const reset = `${this.publicUrl}/reset-password`;
      await this.mailer.enqueue(tx, {
        to: member.email,
        category: 'account',
        subject: 'Your Rapport password was changed',
        text: `The password of your Rapport account was changed just now, and every other session was signed out.\nIf this was not you, choose a new password at ${reset}`,
        html: `<p>The password of your Rapport account was changed just now, and every other session was signed out.</p><p>If this was not you, <a href="${reset}">choose a new password</a>.</p>`,
      });
      return { signedOut: ended.length };
    });
  }

  async requestEmailChange(memberId: string, password: string, newEmail: string): Promise<AccountSettings> {
    await this.verifyPassword(memberId, password);
    const token = newSecret('rpe');
    const now = this.clock.now();
    await this.database.transaction(async (tx) => {
      const member = await this.member(tx.db, memberId);
      if (member.email === newEmail) throw new AppError('EmailUnchanged', 'This is already your email address.');
      if (await members.findByEmail(tx.db, newEmail)) throw new AppError('EmailTaken', 'Another account uses this email address.');
      await repo.voidLinksOf(tx.db, memberId, now.toISOString(), ['email_changes']);
      await repo.insertEmailChange(tx.db, {
        id: newId(),
        member_id: memberId,
        new_email: newEmail,
        token_hash: sha256(token),
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + EMAIL_CHANGE_TTL_MS).toISOString(),
        used_at: null,
      });
      const link = `${this.publicUrl}/confirm-email?token=${encodeURIComponent(token)}`;
      await this.mailer.enqueue(tx, {
        to: newEmail,
        category: 'account',
        subject: 'Confirm your new Rapport email address',
        text: `${member.full_name} asked to use this address for their Rapport account.\nUse this link within 24 hours to confirm it:\n${link}\nUntil then the account keeps its current address. If you did not ask for this, ignore this email.`,
        html: `<p>${escapeHtml(member.full_name)} asked to use this address for their Rapport account.</p><p><a href="${link}">Confirm this email address</a> (within 24 hours).</p><p>Until then the account keeps its current address. If you did not ask for this, ignore this email.</p>`,
      });
    });
    return this.settings(memberId);
  }

  /** Use an email-change link: the account's email becomes the new address, and the old one is told. */
  async confirmEmailChange(token: string): Promise<{ email: string }> {
    const now = this.clock.now().toISOString();
    try {
      return await this.database.transaction(async (tx) => {
        const change = await repo.emailChangeByToken(tx.db, sha256(token));
        if (!change || change.used_at !== null) throw new AppError('InvalidToken', 'This link is not valid or was already used. Ask for a new one from your account settings.');
        if (change.expires_at <= now) throw new AppError('TokenExpired', 'This link has expired. Ask for a new one from your account settings.');
        const member = await members.findById(tx.db, change.member_id);
        if (!member || !(await repo.useEmailChange(tx.db, change.id, now))) {
          throw new AppError('InvalidToken', 'This link is not valid or was already used. Ask for a new one from your account settings.');
        }
        if (await members.findByEmail(tx.db, change.new_email)) throw new AppError('EmailTaken', 'Another account has used this email address since you asked.');
        await members.updateAccount(tx.db, member.id, { email: change.new_email }, now);
        await this.auth.changed(tx.db, 'member', member.id);
        const settings = `${this.publicUrl}/settings/account`;
        await this.mailer.enqueue(tx, {
          to: member.email,
          category: 'account',
          subject: 'Your Rapport email address was changed',
          text: `The email address of your Rapport account was changed from this address to ${change.new_email}. This address no longer signs in.\nIf this was not you, tell your administrator at once. Settings: ${settings}`,
          html: `<p>The email address of your Rapport account was changed from this address to <strong>${escapeHtml(change.new_email)}</strong>. This address no longer signs in.</p><p>If this was not you, tell your administrator at once. <a href="${settings}">Account settings</a></p>`,
        });
        return { email: change.new_email };
      });
    } catch (err) {
      // A signup or another change took the address between our check and the update.
      if (isUniqueViolation(err)) throw new AppError('EmailTaken', 'Another account has used this email address since you asked.');
      throw err;
    }
  }

  async listSessions(memberId: string, currentSessionId: string | undefined): Promise<SessionInfo[]> {
    const rows = await repo.liveSessionsOf(this.database.db, memberId, this.clock.now().toISOString());
    return rows.map((r) => ({
      id: r.id,
      current: r.id === currentSessionId,
      userAgent: r.user_agent,
      ip: r.ip,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      expiresAt: r.expires_at,
    }));
  }

  /** Every API token of the member, revoked ones too, for the data export (metadata only, never a secret). */
  async exportTokens(memberId: string): Promise<DataExport['apiTokens']> {
    const rows = await repo.tokensOf(this.database.db, memberId);
    return rows.map((t) => ({ id: t.id, name: t.name, prefix: t.prefix, createdAt: t.created_at, lastUsedAt: t.last_used_at, revokedAt: t.revoked_at }));
  }

  async revokeSession(memberId: string, id: string): Promise<void> {
    await this.database.transaction(async (tx) => {
      if (!(await repo.deleteSessionOf(tx.db, memberId, id))) throw new AppError('SessionNotFound', 'You have no session with this id.');
      await this.auth.changed(tx.db, 'session', id);
    });
  }

  /** Sign out everywhere else; returns how many sessions ended. */
  async revokeOtherSessions(memberId: string, currentSessionId: string | undefined): Promise<number> {
    return this.database.transaction(async (tx) => {
      const ended = await repo.deleteOtherSessions(tx.db, memberId, currentSessionId);
      for (const id of ended) await this.auth.changed(tx.db, 'session', id);
      return ended.length;
    });
  }

  /** For account deletion, inside its transaction: every credential of the member ends. */
  async endAllCredentials(db: Executor, memberId: string, now: string): Promise<void> {
    await repo.deleteOtherSessions(db, memberId, undefined);
    await repo.deleteTokensOf(db, memberId);
    await repo.voidLinksOf(db, memberId, now, ['password_resets', 'email_changes']);
    await this.auth.changed(db, 'member', memberId);
  }

  private async member(db: Executor, memberId: string) {
    const member = await members.findById(db, memberId);
    if (!member) throw new AppError('Unauthenticated', 'This account no longer exists.');
    return member;
  }
}
