/**
 * Outgoing email. An email is written to the `emails` table, with a `mail.send` job, inside the
 * transaction that causes it: it is never lost and never sent for a rolled-back change. The job
 * delivers it over SMTP when SMTP_URL is set; otherwise it stays in the table for the local viewer
 * at /dev/mail. Delivery is at-least-once: `sent_at` is set after the SMTP server accepts, so a
 * crash between the two sends it again (with the same Message-ID); a delivered email is never resent.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Database, Tx } from '../../db/database.js';
import { newId } from '../../ids.js';
import type { JobDefinition, JobQueue } from '../../jobs/queue.js';

const SendEmailPayload = z.object({ emailId: z.string() });
const sendEmail = { name: 'mail.send', schema: SendEmailPayload } as const;

export interface OutgoingEmail {
  to: string;
  category: string;
  subject: string;
  text: string;
  html: string;
}

export class Mailer {
  private readonly transport: Transporter | undefined;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
    private readonly opts: { smtpUrl: string | undefined; from: string; domain: string },
  ) {
    this.transport = opts.smtpUrl ? nodemailer.createTransport(opts.smtpUrl) : undefined;
  }

  get viewerEnabled(): boolean {
    return this.transport === undefined;
  }

  async enqueue(tx: Tx, email: OutgoingEmail): Promise<void> {
    const id = newId();
    await tx.db
      .insertInto('emails')
      .values({
        id,
        to_address: email.to,
        category: email.category,
        subject: email.subject,
        text_body: email.text,
        html_body: email.html,
        message_id: `<${id}@${this.opts.domain}>`,
        created_at: this.clock.now().toISOString(),
        sent_at: null,
      })
      .execute();
    await this.jobs.enqueue(tx, sendEmail, { emailId: id });
  }

  /** The `mail.send` job: deliver one stored email, unless it already went. */
  readonly job: JobDefinition<typeof SendEmailPayload> = {
    ...sendEmail,
    run: async ({ emailId }) => {
      const row = await this.database.db.selectFrom('emails').selectAll().where('id', '=', emailId).executeTakeFirst();
      if (!row || row.sent_at !== null) return;
      if (this.transport) {
        await this.transport.sendMail({
          from: this.opts.from,
          to: row.to_address,
          subject: row.subject,
          text: row.text_body,
          html: row.html_body,
          messageId: row.message_id,
        });
      }
      await this.database.db.updateTable('emails').set({ sent_at: this.clock.now().toISOString() }).where('id', '=', emailId).where('sent_at', 'is', null).execute();
    },
  };

  close(): void {
    this.transport?.close();
  }
}
