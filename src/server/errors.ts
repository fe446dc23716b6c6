/**
 * Domain errors. Services throw AppError with a stable code; the HTTP layer maps the code to a
 * status in exactly one place (`statusOf`). Codes are a closed union: adding one is an API change,
 * so it is also listed in the contracts (`errorCodes`) and hence in the OpenAPI document.
 */
import { errorCodes, type ErrorCode } from '../contracts/errors.js';

export type { ErrorCode };

const STATUS: Record<ErrorCode, number> = {
  ValidationFailed: 400,
  MalformedJson: 400,
  JsonTooDeep: 400,
  InvalidCursor: 400,
  UnsupportedMediaType: 415,
  PayloadTooLarge: 413,
  Unauthenticated: 401,
  InvalidCredentials: 401,
  InvalidToken: 400,
  TokenExpired: 400,
  WrongPassword: 403,
  EmailTaken: 409,
  EmailUnchanged: 422,
  SessionNotFound: 404,
  CsrfRejected: 403,
  Forbidden: 403,
  RouteNotFound: 404,
  MemberNotFound: 404,
  TokenNotFound: 404,
  InvitationNotFound: 404,
  ConnectionNotFound: 404,
  ConversationNotFound: 404,
  MessageNotAllowed: 403,
  CannotInviteSelf: 422,
  AlreadyConnected: 409,
  InvitationClosed: 409,
  InvitationFlagged: 409,
  ReinviteCooldown: 429,
  WeeklyInviteLimit: 429,
  OutstandingInviteLimit: 429,
  ConnectionLimit: 409,
  InvitingSuspended: 403,
  RecipientEmailRequired: 422,
  RecipientEmailMismatch: 422,
  EnforcementNotFound: 404,
  AppealExists: 409,
  AppealNotFound: 404,
  ReportNotFound: 404,
  RateLimited: 429,
  ServiceUnavailable: 503,
  InternalError: 500,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

// Keep the union and the mapping in step at compile time and at boot.
if (errorCodes.some((c) => STATUS[c] === undefined)) throw new Error('error code without a status');

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
