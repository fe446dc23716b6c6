/**
 * Accounts, sessions and API tokens.
 *
 * Invariants:
 * - Secrets (session tokens, API tokens, reset tokens) are stored only as SHA-256 hashes.
 * - Signup, login and password reset answer the same way, after the same work, whether or not the
 *   email has an account: the response never tells an outsider which emails exist.
 * - Per-account limits are kept in the database (`auth_attempts`), so they hold across processes:
 *   failed logins, signups and reset requests for one email are capped per window; once capped,
 *   even the right password gets RateLimited with `retryAt`.
 * - Every change that ends or alters a credential (logout, revoke, password reset, role change)
 *   publishes on the change feed in its own transaction. On SQLite, authenticated requests are
 *   answered from an in-memory cache (principal.cache.ts) that forgets the credential at commit.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { ChangeFeed } from '../../db/change-feed.js';
import { isUniqueViolation, type Database, type Executor } from '../../db/database.js';
import { mapPage } from '../../db/pagination.js';
import { AppError } from '../../errors.js';
import { newId, newSecret, sha256 } from '../../ids.js';
import * as members from '../members/index.js';
import type { Role } from '../members/index.js';
import { escapeHtml } from '../mail/index.js';
import type { AccountMailer } from './auth.emails.js';
import * as repo from './auth.repository.js';
import type { AuthAttemptTable } from './auth.table.js';
import type { Principal } from './principal.js';
import { AUTH_TOPIC, PrincipalCache } from './principal.cache.js';
import type { PasswordHasher } from './password.js';
import { SignupBody, type ApiToken } from '../../../contracts/auth.js';

/** mail/email.templates.ts escapes with it (it moves to mail/ with issue #16's mail changes). */

export interface AuthSettings {
  sessionTtlMs: number;
  attemptsPerAccount: number;
  attemptWindowMs: number;
  publicUrl: string;
}

const RESET_TTL_MS = 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60_000;

export class AuthService {
  private feed: ChangeFeed | undefined;
  private cache: PrincipalCache | undefined;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly passwords: PasswordHasher,
    private readonly mailer: AccountMailer,
    private readonly settings: AuthSettings,
  ) {}

  /**
   * Publish credential changes on `feed`, and cache principals where the feed makes that safe.
   * context.ts calls it for every process, so CLI tools (`rapport admin create`) publish too.
   *
   * Only on SQLite: there one process serves requests and hears every change synchronously at
   * commit. Another PostgreSQL process hears a change when its notification arrives, which can be
   * after the next request reaches it (measured: test/read-path.test.ts failed about half its runs
   * with a cache there), so PostgreSQL reads every credential until the feed can tell a reader it
   * has delivered everything committed so far (docs/security.md).
   */
  useFeed(feed: ChangeFeed): void {
    if (this.feed === feed) return;
    this.cache?.detach();
    this.feed = feed;
    this.cache = this.database.dialect === 'sqlite' ? new PrincipalCache(feed, this.clock) : undefined;
  }

  /** Tell every process, at commit of the transaction `db`, that a credential ended or changed. */
  async changed(db: Executor, what: 'session' | 'token' | 'member', id: string): Promise<void> {
    await this.feed?.publish(db, AUTH_TOPIC, `${what}:${id}`);
  }

  async signup(input: { email: string; password: string; fullName: string }, role: Role = 'member'): Promise<void> {
    await this.throttle('signup', input.email, true);
    const passwordHash = await this.passwords.hash(input.password);
    const now = this.clock.now().toISOString();
    try {
      await this.database.transaction(async (tx) => {
        if (await members.findByEmail(tx.db, input.email)) {
          await this.mailer.enqueue(tx, {
            to: input.email,
            category: 'account',
            subject: 'Someone tried to sign up with your email',
            text: `Someone tried to create a Rapport account with this address, which already has one.\nIf it was you, log in or reset your password at ${this.settings.publicUrl}/reset-password.`,
            html: `<p>Someone tried to create a Rapport account with this address, which already has one.</p><p>If it was you, <a href="${this.settings.publicUrl}/reset-password">log in or reset your password</a>.</p>`,
          });
          return;
        }
        await members.insertMember(tx.db, members.newMemberRow({ email: input.email, passwordHash, role, fullName: input.fullName, now }));
        await this.mailer.enqueue(tx, {
          to: input.email,
          category: 'account',
          subject: 'Welcome to Rapport',
          text: `Welcome to Rapport, ${input.fullName}. Your account is ready: ${this.settings.publicUrl}/login`,
          html: `<p>Welcome to Rapport, ${escapeHtml(input.fullName)}.</p><p>Your account is ready: <a href="${this.settings.publicUrl}/login">log in</a>.</p>`,
        });
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err; // a concurrent signup took the email: same answer
    }
  }

  /** For the CLI: create an administrator, or promote the member who already has this email. */
  async createAdmin(input: { email: string; password: string; fullName: string }): Promise<string> {
    const parsed = SignupBody.safeParse(input);
    if (!parsed.success) throw new AppError('ValidationFailed', parsed.error.issues.map((i) => i.message).join(' '));
    const { email } = parsed.data;
    const existing = await members.findByEmail(this.database.db, email);
    if (existing) {
      await this.database.transaction(async (tx) => {
        await members.updateAccount(tx.db, existing.id, { role: 'admin' }, this.clock.now().toISOString());
        await this.changed(tx.db, 'member', existing.id);
      });
    } else {
      await this.signup(parsed.data, 'admin');
    }
    return email;
  }

  /** `device`: the request's user agent and IP address, shown on the Sessions page. */
  async login(email: string, password: string, device: { userAgent: string; ip: string } = { userAgent: '', ip: '' }): Promise<{ token: string; principal: Principal }> {
    await this.throttle('login', email, false);
    const member = await members.findByEmail(this.database.db, email);
    const ok = member ? await this.passwords.verify(member.password_hash, password) : await this.passwords.verifyDummy(password);
    if (!member || !ok) {
      await this.recordAttempt('login', email);
      throw new AppError('InvalidCredentials', 'The email or password is not right.');
    }
    const token = newSecret('rps');
    const csrfToken = randomBytes(24).toString('base64url');
    const now = this.clock.now();
    const sessionId = newId();
    await this.database.transaction(async (tx) => {
      await repo.clearAttempts(tx.db, 'login', sha256(email));
      await repo.insertSession(tx.db, {
        id: sessionId,
        member_id: member.id,
        token_hash: sha256(token),
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + this.settings.sessionTtlMs).toISOString(),
        user_agent: device.userAgent.slice(0, 400),
        ip: device.ip.slice(0, 64),
        last_seen_at: now.toISOString(),
      });
    });
    return {
      token,
      principal: {
        memberId: member.id,
        role: member.role,
        email: member.email,
        fullName: member.full_name,
        via: 'session',
        session: { id: sessionId, csrfToken },
      },
    };
  }

  async logout(sessionId: string): Promise<void> {
    await this.database.transaction(async (tx) => {
      await repo.deleteSession(tx.db, sessionId);
      await this.changed(tx.db, 'session', sessionId);
    });
  }

  async fromSessionToken(token: string): Promise<Principal | undefined> {
    const hash = sha256(token);
    const now = this.clock.now().getTime();
    const hit = this.cache?.get(hash);
    if (hit) {
      const sessionId = hit.principal.session?.id;
      if (sessionId !== undefined && now - hit.lastUsedAt > TOUCH_EVERY_MS) {
        await repo.touchSession(this.database.db, sessionId, new Date(now).toISOString());
        this.cache?.touched(hash, hit, now);
      }
      return hit.principal;
    }
    const mark = this.cache?.mark() ?? 0;
    // Skeleton → hydrate: the session, then its member (two indexed reads measured as fast as one
    // joined read on both dialects, bench/joined-reads.ts; docs/architecture.md).
    const row = await repo.liveSession(this.database.db, hash, new Date(now).toISOString());
    const member = row && (await members.findById(this.database.db, row.member_id));
    if (!row || !member) return undefined;
    // "Last seen" on the Sessions page, written at most once a minute like a token's last use.
    let lastSeenAt = row.last_seen_at === null ? -Infinity : Date.parse(row.last_seen_at);
    if (now - lastSeenAt > TOUCH_EVERY_MS) {
      await repo.touchSession(this.database.db, row.id, new Date(now).toISOString());
      lastSeenAt = now;
    }
    const principal: Principal = {
      memberId: row.member_id,
      role: member.role,
      email: member.email,
      fullName: member.full_name,
      via: 'session',
      session: { id: row.id, csrfToken: row.csrf_token },
    };
    this.cache?.set(hash, principal, Date.parse(row.expires_at), lastSeenAt, mark);
    return principal;
  }

  async fromApiToken(token: string): Promise<Principal | undefined> {
    const hash = sha256(token);
    const now = this.clock.now().getTime();
    const hit = this.cache?.get(hash);
    if (hit) {
      const tokenId = hit.principal.tokenId;
      if (tokenId !== undefined && now - hit.lastUsedAt > TOUCH_EVERY_MS) {
        await repo.touchToken(this.database.db, tokenId, new Date(now).toISOString());
        this.cache?.touched(hash, hit, now);
      }
      return hit.principal;
    }
    const mark = this.cache?.mark() ?? 0;
    const row = await repo.liveToken(this.database.db, hash);
    const member = row && (await members.findById(this.database.db, row.member_id));
    if (!row || !member) return undefined;
    // Record use at most once a minute: a hot token must not turn every read into a write.
    let lastUsedAt = row.last_used_at === null ? -Infinity : Date.parse(row.last_used_at);
    if (now - lastUsedAt > TOUCH_EVERY_MS) {
      await repo.touchToken(this.database.db, row.id, new Date(now).toISOString());
      lastUsedAt = now;
    }
    const principal: Principal = { memberId: row.member_id, role: member.role, email: member.email, fullName: member.full_name, via: 'token', tokenId: row.id };
    this.cache?.set(hash, principal, Infinity, lastUsedAt, mark);
    return principal;
  }

  static csrfMatches(expected: string, given: string | undefined): boolean {
    if (given === undefined) return false;
    const a = Buffer.from(expected);
    const b = Buffer.from(given);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  async createToken(memberId: string, name: string): Promise<{ token: ApiToken; secret: string }> {
    const secret = newSecret('rpt');
    const row = {
      id: newId(),
      member_id: memberId,
      name,
      token_hash: sha256(secret),
      prefix: secret.slice(0, 10),
      created_at: this.clock.now().toISOString(),
      last_used_at: null,
      revoked_at: null,
    };
    await repo.insertToken(this.database.db, row);
    return { token: presentToken(row), secret };
  }

  async listTokens(memberId: string, cursor: string | undefined, limit: number) {
    return mapPage(await repo.liveTokensOf(this.database.db, memberId, cursor, limit), presentToken);
  }

  async revokeToken(memberId: string, id: string): Promise<void> {
    await this.database.transaction(async (tx) => {
      const revoked = await repo.revokeToken(tx.db, memberId, id, this.clock.now().toISOString());
      if (!revoked) throw new AppError('TokenNotFound', 'You have no live token with this id.');
      await this.changed(tx.db, 'token', id);
    });
  }

  async requestPasswordReset(email: string): Promise<void> {
    await this.throttle('reset', email, true);
    const member = await members.findByEmail(this.database.db, email);
    if (!member) return;
    const token = newSecret('rpr');
    const now = this.clock.now();
    await this.database.transaction(async (tx) => {
      await repo.insertPasswordReset(tx.db, {
        id: newId(),
        member_id: member.id,
        token_hash: sha256(token),
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + RESET_TTL_MS).toISOString(),
        used_at: null,
      });
      const link = `${this.settings.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
      await this.mailer.enqueue(tx, {
        to: member.email,
        category: 'account',
        subject: 'Reset your Rapport password',
        text: `Use this link within an hour to choose a new password:\n${link}\nIf you did not ask for this, ignore this email.`,
        html: `<p>Use this link within an hour to choose a new password:</p><p><a href="${link}">Choose a new password</a></p><p>If you did not ask for this, ignore this email.</p>`,
      });
    });
  }

  async confirmPasswordReset(token: string, password: string): Promise<void> {
    const passwordHash = await this.passwords.hash(password);
    const now = this.clock.now().toISOString();
    await this.database.transaction(async (tx) => {
      const reset = await repo.usePasswordReset(tx.db, sha256(token), now);
      if (!reset) throw new AppError('InvalidToken', 'This reset link is invalid or has expired. Ask for a new one.');
      await members.updateAccount(tx.db, reset.member_id, { password_hash: passwordHash }, now);
      await repo.deleteSessionsOf(tx.db, reset.member_id);
      await repo.voidLinksOf(tx.db, reset.member_id, now, ['password_resets']);
      await this.changed(tx.db, 'member', reset.member_id);
    });
  }

  /** Refuse once an account key has used up its attempts in the window; optionally count this one. */
  async throttle(kind: AuthAttemptTable['kind'], email: string, count: boolean): Promise<void> {
    const now = this.clock.now().getTime();
    const since = new Date(now - this.settings.attemptWindowMs).toISOString();
    const recent = await repo.attemptsSince(this.database.db, kind, sha256(email), since);
    const oldest = recent[0];
    if (oldest && recent.length >= this.settings.attemptsPerAccount) {
      const retryAt = new Date(Date.parse(oldest.at) + this.settings.attemptWindowMs).toISOString();
      throw new AppError('RateLimited', 'Too many attempts for this account. Try again later.', { retryAt });
    }
    if (count) await this.recordAttempt(kind, email);
  }

  async recordAttempt(kind: AuthAttemptTable['kind'], email: string): Promise<void> {
    const now = this.clock.now();
    const keyHash = sha256(email);
    await this.database.transaction(async (tx) => {
      await repo.forgetAttemptsBefore(tx.db, kind, keyHash, new Date(now.getTime() - this.settings.attemptWindowMs).toISOString());
      await repo.recordAttempt(tx.db, { id: newId(), kind, key_hash: keyHash, at: now.toISOString() });
    });
  }
}

function presentToken(r: repo.ApiTokenRow): ApiToken {
  return { id: r.id, name: r.name, prefix: r.prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at };
}
