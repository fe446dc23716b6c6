/**
 * Builds the email transport once, at boot: tokens, preferences and the Mailer. The emails
 * themselves belong to the modules that send them (`<module>.emails.ts`); context.ts builds those.
 */
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import type { JobQueue } from '../../jobs/queue.js';
import { EmailPreferenceService } from './email.preferences.js';
import { EmailTokens, loadEmailSecret } from './email.tokens.js';
import { Mailer } from './mailer.js';

export async function createMailer(config: Config, database: Database, clock: Clock, jobs: JobQueue, publicUrl: string): Promise<Mailer> {
  const tokens = new EmailTokens(await loadEmailSecret(database, clock, config.EMAIL_TOKEN_SECRET), publicUrl);
  const preferences = new EmailPreferenceService(database, clock, tokens);
  return new Mailer(database, clock, jobs, preferences, {
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    domain: new URL(publicUrl).hostname,
    publicUrl,
  });
}
