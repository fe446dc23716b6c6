/** Typed calls for every API route the web app uses; request and response types come from the contracts. */
import type { z } from 'zod';
import {
  ApiToken,
  ApiTokenCreated,
  Me,
  SignupResult,
  type ApiTokenCreateBody,
  type LoginBody,
  type PasswordResetBody,
  type PasswordResetConfirmBody,
  type SignupBody,
} from '../../contracts/auth.js';
import { page } from '../../contracts/common.js';
import {
  ConnectionsPage,
  Invitation,
  Message,
  ReceivedInvitation,
  ReceivedPage,
  SendResult,
  SentInvitation,
  SentPage,
} from '../../contracts/invitations.js';
import { EmailPreferences, type EmailPreferencesUpdate } from '../../contracts/email.js';
import { MemberProfile, MemberSummary, Profile, type ProfileUpdate } from '../../contracts/profiles.js';
import { ApiError, requestJson, requestVoid, setCsrfToken } from './client.js';

const MemberPage = page(MemberSummary);
const TokenPage = page(ApiToken);
const MessagePage = page(Message);
export type MemberPage = z.infer<typeof MemberPage>;
export type TokenPage = z.infer<typeof TokenPage>;
export type ReceivedPage = z.infer<typeof ReceivedPage>;
export type SentPage = z.infer<typeof SentPage>;
export type ConnectionsPage = z.infer<typeof ConnectionsPage>;
export type MessagePage = z.infer<typeof MessagePage>;
export type ConnectionSort = 'recent' | 'name';
export type ApiTokenCreated = z.infer<typeof ApiTokenCreated>;

export const auth = {
  /** The signed-in member, or null when nobody is. */
  async me(): Promise<Me | null> {
    try {
      const me = await requestJson('GET', '/api/me', Me, { anonymousOk: true });
      setCsrfToken(me.csrfToken);
      return me;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'Unauthenticated') {
        setCsrfToken(null);
        return null;
      }
      throw error;
    }
  },
  async login(body: z.input<typeof LoginBody>): Promise<Me> {
    const me = await requestJson('POST', '/api/auth/login', Me, { body, anonymousOk: true });
    setCsrfToken(me.csrfToken);
    return me;
  },
  async logout(): Promise<void> {
    await requestVoid('POST', '/api/auth/logout', { anonymousOk: true });
    setCsrfToken(null);
  },
  signup: (body: z.input<typeof SignupBody>) => requestJson('POST', '/api/auth/signup', SignupResult, { body, anonymousOk: true }),
  requestPasswordReset: (body: z.input<typeof PasswordResetBody>) =>
    requestJson('POST', '/api/auth/password-reset', SignupResult, { body, anonymousOk: true }),
  confirmPasswordReset: (body: z.input<typeof PasswordResetConfirmBody>) =>
    requestVoid('POST', '/api/auth/password-reset/confirm', { body, anonymousOk: true }),
};

export const profiles = {
  mine: () => requestJson('GET', '/api/me/profile', Profile),
  update: (body: ProfileUpdate) => requestJson('PATCH', '/api/me/profile', Profile, { body }),
  /** Another member's profile, with how the viewer stands with them. */
  get: (id: string) => requestJson('GET', `/api/members/${encodeURIComponent(id)}`, MemberProfile),
  search: (q: string, cursor?: string, limit = 20) => requestJson('GET', '/api/members', MemberPage, { query: { q, cursor, limit } }),
};

export const tokens = {
  list: (cursor?: string, limit = 20) => requestJson('GET', '/api/tokens', TokenPage, { query: { cursor, limit } }),
  create: (body: z.input<typeof ApiTokenCreateBody>) => requestJson('POST', '/api/tokens', ApiTokenCreated, { body }),
  revoke: (id: string) => requestVoid('DELETE', `/api/tokens/${encodeURIComponent(id)}`),
};

const inv = (id: string, action = '') => `/api/invitations/${encodeURIComponent(id)}${action && `/${action}`}`;

export const invitations = {
  received: (folder: 'inbox' | 'archived', cursor?: string, limit = 20) =>
    requestJson('GET', '/api/invitations/received', ReceivedPage, { query: { folder, cursor, limit } }),
  /** Only pending ones: what "Sent" shows; an ignored invitation is pending to its sender. */
  sent: (cursor?: string, limit = 20) => requestJson('GET', '/api/invitations/sent', SentPage, { query: { status: 'pending', cursor, limit } }),
  get: (id: string) => requestJson('GET', inv(id), Invitation),
  send: (recipientId: string, note?: string) => requestJson('POST', '/api/invitations', SendResult, { body: { recipientId, note } }),
  accept: (id: string) => requestJson('POST', inv(id, 'accept'), ReceivedInvitation),
  ignore: (id: string) => requestJson('POST', inv(id, 'ignore'), ReceivedInvitation),
  idk: (id: string) => requestJson('POST', inv(id, 'idk'), ReceivedInvitation),
  reportSpam: (id: string) => requestJson('POST', inv(id, 'spam'), ReceivedInvitation),
  withdraw: (id: string) => requestJson('POST', inv(id, 'withdraw'), SentInvitation),
  reply: (id: string, body: string) => requestJson('POST', inv(id, 'replies'), Message, { body: { body } }),
};

export const connections = {
  list: (opts: { q?: string; sort?: ConnectionSort; cursor?: string; limit?: number } = {}) =>
    requestJson('GET', '/api/connections', ConnectionsPage, { query: { q: opts.q, sort: opts.sort, cursor: opts.cursor, limit: opts.limit ?? 20 } }),
  remove: (memberId: string) => requestVoid('DELETE', `/api/connections/${encodeURIComponent(memberId)}`),
};

export const blocks = {
  block: (memberId: string) => requestVoid('POST', '/api/blocks', { body: { memberId } }),
};

export const conversations = {
  /** Newest first. */
  messages: (id: string, cursor?: string, limit = 20) =>
    requestJson('GET', `/api/conversations/${encodeURIComponent(id)}/messages`, MessagePage, { query: { cursor, limit } }),
  send: (id: string, body: string) => requestJson('POST', `/api/conversations/${encodeURIComponent(id)}/messages`, Message, { body: { body } }),
};

export const emailPreferences = {
  get: () => requestJson('GET', '/api/me/email-preferences', EmailPreferences),
  update: (body: EmailPreferencesUpdate) => requestJson('PATCH', '/api/me/email-preferences', EmailPreferences, { body }),
};
