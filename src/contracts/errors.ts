import { z } from 'zod';

export const errorCodes = [
  'ValidationFailed',
  'MalformedJson',
  'JsonTooDeep',
  'InvalidCursor',
  'UnsupportedMediaType',
  'PayloadTooLarge',
  'Unauthenticated',
  'InvalidCredentials',
  'InvalidToken',
  'TokenExpired',
  'WrongPassword',
  'EmailTaken',
  'EmailUnchanged',
  'SessionNotFound',
  'CsrfRejected',
  'Forbidden',
  'RouteNotFound',
  'MemberNotFound',
  'TokenNotFound',
  'InvitationNotFound',
  'ConnectionNotFound',
  'ConversationNotFound',
  'MessageNotAllowed',
  'CannotInviteSelf',
  'AlreadyConnected',
  'InvitationClosed',
  'InvitationFlagged',
  'ReinviteCooldown',
  'WeeklyInviteLimit',
  'OutstandingInviteLimit',
  'ConnectionLimit',
  'InvitingSuspended',
  'RecipientEmailRequired',
  'RecipientEmailMismatch',
  'EnforcementNotFound',
  'AppealExists',
  'AppealNotFound',
  'ReportNotFound',
  'RateLimited',
  'ServiceUnavailable',
  'InternalError',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** The one error shape every failure uses. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;
