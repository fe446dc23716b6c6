/**
 * What to tell a person when something fails: one friendly sentence per error code, and field-level
 * messages keyed by dotted path (`positions.0.title`) — from the server's `details.issues` or from
 * validating the same contract schema in the browser before sending.
 */
import type { z } from 'zod';
import { ApiError, type ClientErrorCode } from './client.js';

/**
 * Our own words for the codes a person is likely to meet. Codes without an entry fall back to the
 * server's message, which is written for people too; new codes need no change here to read well.
 */
const FRIENDLY: Partial<Record<ClientErrorCode, string>> = {
  ValidationFailed: 'Some fields need attention. Check the messages next to them.',
  MalformedJson: 'Something went wrong sending this form. Reload the page and try again.',
  JsonTooDeep: 'Something went wrong sending this form. Reload the page and try again.',
  InvalidCursor: 'This list has changed since you opened it. Search again to start over.',
  UnsupportedMediaType: 'Something went wrong sending this form. Reload the page and try again.',
  PayloadTooLarge: 'That is too much text to save at once. Shorten it and try again.',
  Unauthenticated: 'You are not logged in. Log in to continue.',
  InvalidCredentials: 'That email and password do not match an account. Check them and try again.',
  InvalidToken: 'This link is invalid or has expired. Ask for a new one.',
  CsrfRejected: 'Your session needs refreshing. Reload the page and try again.',
  Forbidden: 'You are not allowed to do that.',
  RouteNotFound: 'That page does not exist.',
  MemberNotFound: 'We could not find this member. The link may be wrong, or the account was closed.',
  TokenNotFound: 'This token no longer exists. It may have been revoked already.',
  InvitationNotFound: 'We could not find this invitation. It may have been withdrawn, or the link is wrong.',
  ConnectionNotFound: 'You are not connected with this member.',
  ConversationNotFound: 'We could not find this conversation. The link may be wrong, or it is no longer available.',
  MessageNotAllowed: 'You can’t message this member. You can message your connections, or reply in a conversation opened from an invitation while it is open.',
  CannotInviteSelf: 'You can’t invite yourself to connect.',
  AlreadyConnected: 'You are already connected with this member.',
  InvitationClosed: 'This invitation is no longer open, so it can’t change.',
  InvitationFlagged: 'You said you don’t know this person, so the invitation stays in Archived.',
  ReinviteCooldown: 'You withdrew an invitation to this member recently, so you can’t invite them again yet.',
  WeeklyInviteLimit: 'You have reached this week’s invitation limit.',
  OutstandingInviteLimit: 'You have too many invitations waiting for an answer. Withdraw some before sending more.',
  ConnectionLimit: 'The connection limit has been reached, so you can’t connect. Remove a connection first.',
  InvitingSuspended: 'Your invitations are suspended for now. Account health says why and when it ends.',
  RecipientEmailRequired: 'Your invitations are restricted for now: add the email address of the person you invite.',
  RecipientEmailMismatch: 'That email address does not match the member you are inviting. Check it and try again.',
  EnforcementNotFound: 'We could not find that decision. It may have been lifted already.',
  AppealExists: 'You have already appealed this decision. We will let you know the outcome here.',
  AppealNotFound: 'We could not find this appeal. It may have been decided already.',
  ReportNotFound: 'We could not find this report. It may have been decided already.',
  RateLimited: 'Too many attempts in a short time. Wait a moment and try again.',
  ServiceUnavailable: 'Rapport is having trouble right now. Try again in a minute.',
  InternalError: 'Something went wrong on our side. Try again; if it keeps happening, tell your administrator.',
  NetworkError: 'We could not reach Rapport. Check your connection and try again.',
  UnexpectedResponse: 'Rapport answered in a way this page did not expect. Reload the page and try again.',
};

const GENERIC = 'Something went wrong. Try again; if it keeps happening, tell your administrator.';

const day = new Intl.DateTimeFormat([], { dateStyle: 'long' });
const dayAndTime = new Intl.DateTimeFormat([], { dateStyle: 'medium', timeStyle: 'short' });

/** Codes whose `details` say more than the code: when sending works again, or why an invitation closed. */
function detailed(error: ApiError): string | undefined {
  const at = error.retryAt;
  switch (error.code) {
    case 'ReinviteCooldown':
      return at && `You withdrew an invitation to this member recently. You can invite them again on ${day.format(at)}.`;
    case 'WeeklyInviteLimit':
      return at && `You have reached this week’s invitation limit. You can send more invitations from ${dayAndTime.format(at)}.`;
    case 'OutstandingInviteLimit':
      return at && `You have too many invitations waiting for an answer. Withdraw some, or send more from ${dayAndTime.format(at)}.`;
    case 'InvitingSuspended':
      return at && `Your invitations are suspended until ${dayAndTime.format(at)}. Account health says why.`;
    case 'InvitationClosed': {
      const d = error.details;
      const status = d && typeof d === 'object' && 'status' in d ? d.status : undefined;
      if (status === 'accepted') return 'This invitation has already been accepted: you are connected.';
      if (status === 'withdrawn') return 'This invitation was withdrawn, so it can no longer be answered.';
      if (status === 'expired') return 'This invitation has expired.';
      return undefined;
    }
    default:
      return undefined;
  }
}

/** One sentence for a person, whatever was thrown. */
export function friendlyMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return GENERIC;
  const specific = detailed(error);
  if (specific) return specific;
  const base = FRIENDLY[error.code] ?? (error.message || GENERIC);
  const at = error.retryAt;
  if (at && error.status === 429) return `${base} You can try again after ${at.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })}.`;
  return base;
}

/** Field messages by dotted path; '' holds problems with the form as a whole. */
export type FieldErrors = Record<string, string>;

/** The server's issues of a ValidationFailed error, by path (first message per field wins). */
export function fieldErrorsOf(error: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (!(error instanceof ApiError) || error.code !== 'ValidationFailed') return out;
  for (const issue of error.issues) out[issue.path] ??= sentence(issue.message);
  return out;
}

/** Validate in the browser with the same contract schema the server uses. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const parsed = schema.safeParse(value, { error: humanIssue });
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[issue.path.map(String).join('.')] ??= issue.message;
  return { ok: false, errors };
}

/**
 * Plain words for zod's default messages. Passed per parse, so messages the contracts spell out
 * themselves ('Use at least 10 characters.') still win.
 */
function humanIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'Fill this in.' : `Use at least ${issue.minimum} characters.`;
      if (issue.origin === 'number') return `Use ${issue.minimum} or later.`;
      return undefined;
    case 'too_big':
      if (issue.origin === 'string') return `Use at most ${issue.maximum} characters.`;
      if (issue.origin === 'number') return `Use ${issue.maximum} or earlier.`;
      if (issue.origin === 'array') return `Add at most ${issue.maximum}.`;
      return undefined;
    case 'invalid_format':
      return issue.format === 'email' ? 'Enter an email address like name@example.com.' : undefined;
    case 'invalid_type':
      if (issue.expected === 'number') return 'Enter a year, like 2021.';
      if (issue.expected === 'int') return 'Enter a whole year, like 2021.';
      return undefined;
    default:
      return undefined;
  }
}

function sentence(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) return 'This value is not valid.';
  const capital = trimmed[0]?.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
