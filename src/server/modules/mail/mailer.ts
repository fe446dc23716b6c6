/**
 * Outgoing email. An email is written to the `emails` table inside the transaction that causes it
 * (so it is never lost and never sent for a rolled-back change), then delivered after commit:
 * over SMTP when SMTP_URL is set, otherwise it stays in the table for the local viewer at /dev/mail.
 * Delivery marks `sent_at` with a compare-and-set, so a retry never sends twice from this process.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Database, Tx } from '../../db/database.js';
import { newId } from '../../ids.js';

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
    private readonly log: Logger,
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
    tx.onCommit(() => void this.deliver(id));
  }

  private async deliver(id: string): Promise<void> {
    if (!this.transport) return;
    try {
      const row = await this.database.db.selectFrom('emails').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row || row.sent_at !== null) return;
      await this.transport.sendMail({
        from: this.opts.from,
        to: row.to_address,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        messageId: row.message_id,
      });
      await this.database.db
        .updateTable('emails')
        .set({ sent_at: this.clock.now().toISOString() })
        .where('id', '=', id)
        .where('sent_at', 'is', null)
        .execute();
    } catch (err) {
      this.log.error({ err, emailId: id }, 'email delivery failed');
    }
  }

  close(): void {
    this.transport?.close();
  }
}
