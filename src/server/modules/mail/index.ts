/**
 * What other modules may use of mail/, the transport: the Mailer (enqueue an email in the causing
 * transaction, register a send-time check for a kind), the body templates, and the kinds.
 */
export type { EmailPreferenceService } from './email.preferences.js';
export { Mailer, type EmailRow, type OutgoingEmail, type SendCheck, type SendDecision } from './mailer.js';
export { button, escapeHtml, excerpt, h, link, p, quote, subjectLine, type Content } from './email.templates.js';
export type { EmailKind } from './email.kinds.js';
export { createMailer } from './email.module.js';
export { mailJobs } from './mail.jobs.js';
