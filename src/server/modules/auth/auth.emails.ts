/**
 * What auth/ and account/ need of the mail transport: queue an account email in the caller's
 * transaction (it goes after commit). context.ts hands in mail/'s Mailer, which fits this shape,
 * so auth/ depends on mail/ only for its templates' `escapeHtml`, and mail/ knows nothing of auth/.
 */
import type { Tx } from '../../db/database.js';

/** An account email: always sent (no preference turns it off), never with an unsubscribe link. */
export interface AccountEmail {
  to: string;
  category: 'account';
  subject: string;
  text: string;
  /** An HTML fragment with user content escaped (`escapeHtml`). */
  html: string;
}

export interface AccountMailer {
  enqueue(tx: Tx, email: AccountEmail): Promise<unknown>;
}
