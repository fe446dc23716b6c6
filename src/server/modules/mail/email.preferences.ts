/**
 * Who wants which email. Per member and optional category (absent row = on), plus an address-level
 * suppression list (hard bounces, complaints, operators) that stops every email to that address.
 * Both are read again by the `mail.send` job when an email goes out, not only when it is queued.
 */
import { OPTIONAL_CATEGORIES, isOptionalCategory, type EmailPreferences, type EmailPreferencesUpdate, type OptionalCategory } from '../../../contracts/email.js';
import type { Clock } from '../../clock.js';
import type { Database, Executor } from '../../db/database.js';
import * as members from '../members/index.js';
import type { EmailTokens } from './email.tokens.js';

const normaliseAddress = (address: string) => address.trim().toLowerCase();

export class EmailPreferenceService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    readonly tokens: EmailTokens,
  ) {}

  async get(memberId: string, db: Executor = this.database.db): Promise<EmailPreferences> {
    const rows = await db.selectFrom('email_preferences').select(['category', 'enabled']).where('member_id', '=', memberId).execute();
    const off = new Set(rows.filter((r) => Number(r.enabled) === 0).map((r) => r.category));
    return Object.fromEntries(OPTIONAL_CATEGORIES.map((c) => [c, !off.has(c)])) as EmailPreferences;
  }

  async update(memberId: string, patch: EmailPreferencesUpdate): Promise<EmailPreferences> {
    return this.database.transaction(async (tx) => {
      for (const category of OPTIONAL_CATEGORIES) {
        const enabled = patch[category];
        if (enabled !== undefined) await this.set(tx.db, memberId, category, enabled);
      }
      return this.get(memberId, tx.db);
    });
  }

  /** The one-click unsubscribe: that category is off from this moment (the send job reads it). */
  async unsubscribe(token: string): Promise<{ category: OptionalCategory } | undefined> {
    const who = this.tokens.verify(token);
    if (!who) return undefined;
    const member = await members.findIncludingDeleted(this.database.db, who.memberId);
    if (!member) return undefined;
    await this.database.transaction((tx) => this.set(tx.db, who.memberId, who.category, false));
    return { category: who.category };
  }

  /** Whether the member wants this category now. Transactional categories (account) always go. */
  async wants(db: Executor, memberId: string, category: string): Promise<boolean> {
    if (!isOptionalCategory(category)) return true;
    const row = await db
      .selectFrom('email_preferences')
      .select('enabled')
      .where('member_id', '=', memberId)
      .where('category', '=', category)
      .executeTakeFirst();
    return row === undefined || Number(row.enabled) === 1;
  }

  /**
   * Account deletion, in its transaction: every optional category off, so emails already queued
   * for the member (digests, reminders) are skipped when they come to be sent.
   */
  async turnAllOff(db: Executor, memberId: string): Promise<void> {
    for (const category of OPTIONAL_CATEGORIES) await this.set(db, memberId, category, false);
  }

  async suppress(address: string, reason: string): Promise<void> {
    await this.database.transaction((tx) =>
      tx.db
        .insertInto('email_suppressions')
        .values({ address: normaliseAddress(address), reason, created_at: this.clock.now().toISOString() })
        .onConflict((oc) => oc.column('address').doNothing())
        .execute(),
    );
  }

  async isSuppressed(db: Executor, address: string): Promise<boolean> {
    const row = await db.selectFrom('email_suppressions').select('address').where('address', '=', normaliseAddress(address)).executeTakeFirst();
    return row !== undefined;
  }

  private async set(db: Executor, memberId: string, category: OptionalCategory, enabled: boolean): Promise<void> {
    const now = this.clock.now().toISOString();
    const value: 0 | 1 = enabled ? 1 : 0;
    await db
      .insertInto('email_preferences')
      .values({ member_id: memberId, category, enabled: value, updated_at: now })
      .onConflict((oc) => oc.columns(['member_id', 'category']).doUpdateSet({ enabled: value, updated_at: now }))
      .execute();
  }
}
