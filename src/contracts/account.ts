/**
 * Account settings: password, email, sessions, data export and deletion (docs/security.md,
 * "Account settings").
 */
import { z } from 'zod';
import { Email, Password } from './auth.js';
import { Id } from './common.js';

const CurrentPassword = z.string().min(1, 'Enter your current password.').max(200);

export const PasswordChangeBody = z.strictObject({ currentPassword: CurrentPassword, newPassword: Password });

export const EmailChangeBody = z.strictObject({ newEmail: Email, password: CurrentPassword });
export const EmailChangeConfirmBody = z.strictObject({ token: z.string().min(1).max(200) });

export const AccountSettings = z
  .object({
    email: z.string(),
    createdAt: z.string(),
    /** An email change waiting for its link: the current email keeps working until then. */
    pendingEmail: z.object({ email: z.string(), expiresAt: z.string() }).nullable(),
  })
  .meta({ id: 'AccountSettings' });
export type AccountSettings = z.infer<typeof AccountSettings>;

export const EmailChangeConfirmed = z.object({ email: z.string() });

export const SessionInfo = z
  .object({
    id: Id,
    current: z.boolean(),
    userAgent: z.string(),
    /** The IP address the session signed in from ('' when unknown). */
    ip: z.string(),
    createdAt: z.string(),
    lastSeenAt: z.string().nullable(),
    expiresAt: z.string(),
  })
  .meta({ id: 'Session' });
export type SessionInfo = z.infer<typeof SessionInfo>;
export const SessionList = z.object({ items: z.array(SessionInfo) });

export const RevokedSessions = z.object({ revoked: z.number().int() });

export const AccountDeleteBody = z.strictObject({ password: CurrentPassword });

const str = z.string();
const when = z.string();
const maybe = z.string().nullable();

/**
 * "Download my data" (GET /api/account/export.json; the same sections as CSV files in
 * /api/account/export.zip). Invitations appear as this member may see them: sent ones only as
 * pending / accepted / withdrawn / expired, received ones with the member's own folder and flags.
 * API tokens are listed by name and prefix, never their secrets; sessions without their tokens.
 */
export const DataExport = z
  .object({
    exportedAt: when,
    account: z.object({ id: Id, email: str, role: str, createdAt: when }),
    profile: z.object({
      fullName: str,
      headline: str,
      currentTitle: str,
      currentCompany: str,
      industry: str,
      location: str,
      timeZone: str,
      about: str,
      skills: z.array(str),
    }),
    experience: z.array(z.object({ title: str, company: str, startYear: z.number().int(), endYear: z.number().int().nullable() })),
    education: z.array(z.object({ school: str, degree: str, field: str, startYear: z.number().int(), endYear: z.number().int().nullable() })),
    connections: z.array(z.object({ memberId: Id, fullName: str, headline: str, currentTitle: str, currentCompany: str, connectedAt: when })),
    invitationsSent: z.array(
      z.object({ id: Id, recipientId: Id, recipientName: str, note: maybe, status: z.enum(['pending', 'accepted', 'withdrawn', 'expired']), createdAt: when, closedAt: maybe }),
    ),
    invitationsReceived: z.array(
      z.object({
        id: Id,
        senderId: Id,
        senderName: str,
        note: maybe,
        status: z.enum(['pending', 'ignored', 'accepted', 'withdrawn', 'expired']),
        folder: z.enum(['inbox', 'archived']).nullable(),
        idk: z.boolean(),
        spamReported: z.boolean(),
        createdAt: when,
        ignoredAt: maybe,
        closedAt: maybe,
      }),
    ),
    messages: z.array(z.object({ conversationId: Id, withMemberId: Id, from: str, body: str, sentAt: when })),
    notifications: z.array(z.object({ id: Id, kind: str, actorName: str, createdAt: when, updatedAt: when, readAt: maybe })),
    emailPreferences: z.object({ invitations: z.boolean(), reminders: z.boolean(), messages: z.boolean() }),
    apiTokens: z.array(z.object({ id: Id, name: str, prefix: str, createdAt: when, lastUsedAt: maybe, revokedAt: maybe })),
    sessions: z.array(z.object({ id: Id, current: z.boolean(), userAgent: str, ip: str, createdAt: when, lastSeenAt: maybe, expiresAt: when })),
  })
  .meta({ id: 'DataExport' });
export type DataExport = z.infer<typeof DataExport>;
