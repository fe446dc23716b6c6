/** Builds the email side of Rapport once, at boot: tokens, preferences, the Mailer and its senders. */
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import type { JobQueue } from '../../jobs/queue.js';
import type { SequenceRunner } from '../../jobs/sequence.js';
import { ReminderService } from '../reminders/reminder.service.js';
import { EmailPreferenceService } from './email.preferences.js';
import { EmailTokens, loadEmailSecret } from './email.tokens.js';
import { InvitationEmails } from './invitation.emails.js';
import { Mailer } from './mailer.js';
import { MessageDigests } from './message-digest.jobs.js';

export interface EmailServices {
  preferences: EmailPreferenceService;
  invitations: InvitationEmails;
  messageDigests: MessageDigests;
  reminders: ReminderService;
}

export async function createEmail(config: Config, database: Database, clock: Clock, jobs: JobQueue, sequences: SequenceRunner, publicUrl: string): Promise<{ mailer: Mailer; email: EmailServices }> {
  const tokens = new EmailTokens(await loadEmailSecret(database, clock, config.EMAIL_TOKEN_SECRET), publicUrl);
  const preferences = new EmailPreferenceService(database, clock, tokens);
  const mailer = new Mailer(database, clock, jobs, preferences, {
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    domain: new URL(publicUrl).hostname,
    publicUrl,
  });
  const email: EmailServices = {
    preferences,
    invitations: new InvitationEmails(mailer, publicUrl),
    messageDigests: new MessageDigests(database, clock, jobs, mailer, { delayMs: config.MESSAGE_DIGEST_DELAY_MINUTES * 60_000, publicUrl }),
    reminders: new ReminderService(database, clock, jobs, sequences, mailer, {
      firstDays: config.REMINDER_FIRST_DAYS,
      secondDays: config.REMINDER_SECOND_DAYS,
      publicUrl,
    }),
  };
  return { mailer, email };
}
