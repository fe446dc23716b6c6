/**
 * Every kind of email that has a send-time check: a closed union, so a check registered for a kind
 * no module writes (or an email written with a kind nobody checks) does not compile. An email with
 * no kind (the account emails) gets only the generic checks: suppression and preferences.
 */
export type EmailKind = 'invitation' | 'invitation-accepted' | 'message-digest' | 'reminder-digest';
