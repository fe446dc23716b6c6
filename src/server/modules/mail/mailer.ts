/**
 * Outgoing email. An email is written to the `emails` table, with a `mail.send` job, inside the
 * transaction that causes it: it is never lost and never sent for a rolled-back change. The job
 * delivers it over SMTP when SMTP_URL is set; otherwise it stays in the table for the local viewer
 * at /dev/mail.
 *
 * States of a row: queued (sent_at and skipped_reason null) → sent (sent_at) | skipped (skipped_reason).
 * Invariants:
 * - Send-time checks: the job re-reads the world before sending — address suppression, the member's
 *   preference for the category, and the check registered for the email's `kind` (an invitation
 *   still pending, reminders' stop conditions). A refused email is marked skipped and never sent.
 *   A check may also rewrite the content (a digest that lost some of its items); the row is updated
 *   before sending, so the table holds what went out.
 * - Every write of the job is its own `transaction()` (SQLITE_BUSY retried with backoff), and a
 *   compare-and-set on "still queued".
 * - Each SMTP attempt is committed (`send_attempts`, `last_attempt_at`) before it starts.
 * - At-least-once only across a crash: `sent_at` is set after the SMTP server accepts, so a crash
 *   between the two sends it again (with the same Message-ID, a recorded second attempt). Without
 *   a crash, never twice: the process keeps the Message-IDs accepted but not yet recorded, and a
 *   retry after a failed bookkeeping write records `sent_at` without sending. A sent or skipped
 *   email is never sent again.
 * - Optional categories carry `List-Unsubscribe` (an https URL with a signed token for the member and
 *   category) and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058). `account` emails are
 *   transactional and carry neither.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import { isOptionalCategory, type EmailCategory } from '../../../contracts/email.js';
import type { Clock } from '../../clock.js';
import type { Database, Executor, Tx } from '../../db/database.js';
import { newId } from '../../ids.js';
import type { JobDefinition, JobQueue } from '../../jobs/queue.js';
import type { EmailKind } from './email.kinds.js';
import type { EmailPreferenceService } from './email.preferences.js';
import type { EmailTable } from './email.table.js';
import { h, htmlDocument, link, type Content } from './email.templates.js';


const SendEmailPayload = z.object({ emailId: z.string() });
const MAIL_SEND = { name: 'mail.send', schema: SendEmailPayload } as const;

export type EmailRow = Selectable<EmailTable>;

export interface OutgoingEmail {
  to: string;
  category: EmailCategory;
  subject: string;
  text: string;
  /** An HTML fragment with user content escaped; the Mailer adds the document and the footer. */
  html: string;
  /** The member it is for: their preferences apply, and the unsubscribe link is theirs. */
  memberId?: string;
  /** Selects the send-time check registered with `addCheck`. */
  kind?: EmailKind;
  /** What that check needs (stored as JSON). */
  context?: unknown;
}

/** What a send-time check decides: send as stored, send rewritten content, or skip for good. */
export type SendDecision = { send: true; content?: Content } | { send: false; reason: string };
export type SendCheck = (db: Executor, email: EmailRow, now: string) => Promise<SendDecision>;

export interface MailerOptions {
  smtpUrl: string | undefined;
  from: string;
  domain: string;
  publicUrl: string;
}

export class Mailer {
  private readonly transport: Transporter | undefined;
  private readonly checks = new Map<EmailKind, SendCheck>();
  /**
   * Message-IDs the SMTP server accepted whose `sent_at` is not committed yet: the idempotency key
   * that keeps a failed bookkeeping write from sending the email again.
   */
  private readonly accepted = new Set<string>();

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
    readonly preferences: EmailPreferenceService,
    private readonly opts: MailerOptions,
  ) {
    this.transport = opts.smtpUrl ? nodemailer.createTransport(opts.smtpUrl) : undefined;
  }

  get viewerEnabled(): boolean {
    return this.transport === undefined;
  }

  /** Register the send-time check for emails of one kind (the module that writes them owns it; context.jobs.ts registers it). */
  addCheck(kind: EmailKind, check: SendCheck): void {
    this.checks.set(kind, check);
  }

  async enqueue(tx: Tx, email: OutgoingEmail): Promise<string> {
    const id = newId();
    const body = this.finish(email, email.memberId ?? null);
    await tx.db
      .insertInto('emails')
      .values({
        id,
        to_address: email.to,
        category: email.category,
        subject: body.subject,
        text_body: body.text,
        html_body: body.html,
        message_id: `<${id}@${this.opts.domain}>`,
        created_at: this.clock.now().toISOString(),
        sent_at: null,
        member_id: email.memberId ?? null,
        kind: email.kind ?? null,
        context: email.context === undefined ? null : JSON.stringify(email.context),
        skipped_reason: null,
        skipped_at: null,
        send_attempts: 0,
        last_attempt_at: null,
      })
      .execute();
    await this.jobs.enqueue(tx, MAIL_SEND, { emailId: id });
    return id;
  }

  /**
   * The `mail.send` job: re-check, record the attempt, deliver one stored email, record it sent.
   * Unless it already went or was skipped. Every write goes through `transaction()`, which retries
   * SQLITE_BUSY. Once the SMTP server accepted a Message-ID, this process does not offer it again:
   * if recording `sent_at` fails (another process held the write lock past every retry), the job
   * fails and its retry only records it.
   */
  readonly job: JobDefinition<typeof SendEmailPayload> = {
    ...MAIL_SEND,
    run: async ({ emailId }) => {
      const row = await this.database.db.selectFrom('emails').selectAll().where('id', '=', emailId).executeTakeFirst();
      if (!row || row.sent_at !== null || row.skipped_reason !== null) return;
      if (this.accepted.has(row.message_id)) return this.recordSent(row);
      const now = this.clock.now().toISOString();
      const decision = await this.decide(this.database.db, row, now);
      if (!decision.send) {
        await this.database.transaction((tx) => unsent(tx.db, emailId).set({ skipped_reason: decision.reason, skipped_at: now }).execute());
        return;
      }
      let email = row;
      if (decision.content) {
        const body = this.finish({ ...decision.content, category: row.category }, row.member_id);
        email = { ...row, subject: body.subject, text_body: body.text, html_body: body.html };
      }
      // Committed before the SMTP conversation: the table holds what goes out, and a second
      // delivery (a crash between acceptance and `sent_at`) is always a recorded second attempt.
      const attempt = await this.database.transaction((tx) =>
        unsent(tx.db, emailId)
          .set((eb) => ({ subject: email.subject, text_body: email.text_body, html_body: email.html_body, send_attempts: eb('send_attempts', '+', 1), last_attempt_at: now }))
          .executeTakeFirst(),
      );
      if (Number(attempt.numUpdatedRows) === 0) return; // sent or skipped meanwhile by another worker
      if (this.transport) {
        await this.transport.sendMail({
          from: this.opts.from,
          to: email.to_address,
          subject: email.subject,
          text: email.text_body,
          html: email.html_body,
          messageId: email.message_id,
          headers: this.headersFor(email),
        });
      }
      this.accepted.add(email.message_id);
      await this.recordSent(email);
    },
  };

  /** The list headers of an email (none for transactional ones). */
  headersFor(email: Pick<EmailRow, 'category' | 'member_id'>): Record<string, string> {
    const url = this.unsubscribeUrl(email.category, email.member_id);
    return url ? { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {};
  }

  close(): void {
    this.transport?.close();
  }

  /** `sent_at`, then this process may forget the Message-ID. */
  private async recordSent(email: EmailRow): Promise<void> {
    await this.database.transaction((tx) => unsent(tx.db, email.id).set({ sent_at: this.clock.now().toISOString() }).execute());
    this.accepted.delete(email.message_id);
  }

  private async decide(db: Executor, row: EmailRow, now: string): Promise<SendDecision> {
    if (await this.preferences.isSuppressed(db, row.to_address)) return { send: false, reason: 'suppressed' };
    if (row.member_id !== null && !(await this.preferences.wants(db, row.member_id, row.category))) return { send: false, reason: 'unsubscribed' };
    const check = row.kind === null ? undefined : this.checks.get(row.kind);
    return check ? check(db, row, now) : { send: true };
  }

  private unsubscribeUrl(category: string, memberId: string | null): string | undefined {
    return memberId !== null && isOptionalCategory(category) ? this.preferences.tokens.unsubscribeUrl(memberId, category) : undefined;
  }

  /** The stored body: the fragment in its document, and the footer, in both parts. */
  private finish(email: Content & { category: string }, memberId: string | null): Content {
    const url = this.unsubscribeUrl(email.category, memberId);
    const settings = `${this.opts.publicUrl}/settings/email`;
    const footerText = url
      ? `You get these emails (${email.category}) because you have a Rapport account.\nUnsubscribe from ${email.category} emails: ${url}\nEmail settings: ${settings}`
      : 'This is a service email about your Rapport account; it is sent whatever your email settings.';
    const footerHtml = url
      ? `You get these emails (${h(email.category)}) because you have a Rapport account. ${link(url, `Unsubscribe from ${email.category} emails`)} · ${link(settings, 'Email settings')}`
      : 'This is a service email about your Rapport account; it is sent whatever your email settings.';
    return {
      subject: email.subject,
      text: `${email.text.trimEnd()}\n\n--\n${footerText}\n`,
      html: htmlDocument(email.subject, email.html, footerHtml),
    };
  }
}

/** An email not yet sent or skipped: every write of the job is a compare-and-set on that. */
function unsent(db: Executor, emailId: string) {
  return db.updateTable('emails').where('id', '=', emailId).where('sent_at', 'is', null).where('skipped_reason', 'is', null);
}
