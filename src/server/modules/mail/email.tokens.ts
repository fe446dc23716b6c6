/**
 * Unsubscribe tokens: `<memberId>.<category>.<HMAC-SHA256(secret, "unsubscribe:v1:<memberId>:<category>")>`,
 * base64url. Deterministic, so every email of one category to one member carries the same link, and
 * nothing is stored; a token is valid until the secret changes. Only optional categories are signed.
 *
 * The secret is EMAIL_TOKEN_SECRET when set. Otherwise one is generated on first boot and kept in the
 * `settings` table, so every process sharing the database (serve, workers) agrees on it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isOptionalCategory, type OptionalCategory } from '../../../contracts/email.js';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/database.js';
import { getSetting, initSetting } from '../../db/settings.js';

const SECRET_KEY = 'email_token_secret';

export async function loadEmailSecret(database: Database, clock: Clock, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  // Through `transaction()`: a starting process next to a busy one retries instead of failing its boot.
  await database.transaction((tx) => initSetting(tx.db, SECRET_KEY, randomBytes(32).toString('base64url'), clock.now().toISOString()));
  const secret = await getSetting(database.db, SECRET_KEY);
  if (secret === undefined) throw new Error('the email token secret was not stored');
  return secret;
}

export class EmailTokens {
  constructor(
    private readonly secret: string,
    private readonly publicUrl: string,
  ) {}

  sign(memberId: string, category: OptionalCategory): string {
    return `${memberId}.${category}.${this.mac(memberId, category)}`;
  }

  verify(token: string): { memberId: string; category: OptionalCategory } | undefined {
    const [memberId, category, mac, ...rest] = token.split('.');
    if (!memberId || !category || !mac || rest.length > 0 || !isOptionalCategory(category)) return undefined;
    const expected = Buffer.from(this.mac(memberId, category));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? { memberId, category } : undefined;
  }

  /** The one-click (RFC 8058) and landing-page URL: GET shows a confirm button, POST unsubscribes. */
  unsubscribeUrl(memberId: string, category: OptionalCategory): string {
    return `${this.publicUrl}/unsubscribe?token=${encodeURIComponent(this.sign(memberId, category))}`;
  }

  private mac(memberId: string, category: string): string {
    return createHmac('sha256', this.secret).update(`unsubscribe:v1:${memberId}:${category}`).digest('base64url');
  }
}
