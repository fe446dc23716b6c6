/** Typed calls for every API route the web app uses; request and response types come from the contracts. */
import type { z } from 'zod';
import {
  ApiToken,
  ApiTokenCreated,
  Me,
  SessionInfo,
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
import { Conversation, ConversationsPage } from '../../contracts/messaging.js';
import { NotificationsPage, UnreadCounts } from '../../contracts/notifications.js';
import {
  AccountHealth,
  AppealCreated,
  AppealItem,
  AuditItem,
  DecisionResult,
  EnforcementItem,
  LevelResult,
  MemberLookupItem,
  MemberModeration,
  SpamReportItem,
} from '../../contracts/safety.js';
import { MemberProfile, MutualsPage, NetworkMember, Profile, Suggestions, type ProfileUpdate, type Suggestion as SuggestionSchema } from '../../contracts/profiles.js';
import { Home, Site } from '../../contracts/site.js';
import { requestJson, requestVoid, setCsrfToken } from './client.js';

const MemberPage = page(NetworkMember);
const TokenPage = page(ApiToken);
const MessagePage = page(Message);
export type MemberPage = z.infer<typeof MemberPage>;
export type Suggestion = z.infer<typeof SuggestionSchema>;
export type TokenPage = z.infer<typeof TokenPage>;
export type ReceivedPage = z.infer<typeof ReceivedPage>;
export type SentPage = z.infer<typeof SentPage>;
export type ConnectionsPage = z.infer<typeof ConnectionsPage>;
export type MessagePage = z.infer<typeof MessagePage>;
export type { ConversationsPage, NotificationsPage };
export type AccountHealth = z.infer<typeof AccountHealth>;
const SpamReportPage = page(SpamReportItem);
const EnforcementPage = page(EnforcementItem);
const AppealPage = page(AppealItem);
const AuditPage = page(AuditItem);
const LookupPage = page(MemberLookupItem);
export type SpamReportPage = z.infer<typeof SpamReportPage>;
export type EnforcementPage = z.infer<typeof EnforcementPage>;
export type AppealPage = z.infer<typeof AppealPage>;
export type AuditPage = z.infer<typeof AuditPage>;
export type LookupPage = z.infer<typeof LookupPage>;
export type MemberModeration = z.infer<typeof MemberModeration>;
/** What an admin can set a member's level to, by the name of its action. */
export type LevelAction = 'warn' | 'restrict' | 'suspend' | 'lift';
export type ConnectionSort = 'recent' | 'name';
export type MutualsPage = z.infer<typeof MutualsPage>;
export type { Home, Site };
export type ApiTokenCreated = z.infer<typeof ApiTokenCreated>;

export const auth = {
  /** The signed-in member, or null when nobody is. */
  async me(): Promise<Me | null> {
    // Asking who is signed in is not an error when nobody is: the answer is 200 either way, so a
    // visitor's browser logs no failed request.
    const { member } = await requestJson('GET', '/api/auth/session', SessionInfo, { anonymousOk: true });
    setCsrfToken(member?.csrfToken ?? null);
    return member;
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
  /** People you may know, best first, each with why. */
  suggestions: (limit = 12) => requestJson('GET', '/api/network/suggestions', Suggestions, { query: { limit } }),
  /** Every mutual connection with a member, best-connected first, with the total. */
  mutuals: (id: string, cursor?: string, limit = 20) => requestJson('GET', `/api/members/${encodeURIComponent(id)}/mutuals`, MutualsPage, { query: { cursor, limit } }),
};

/** This server: its mode, the local mail viewer, the demo login. Public. */
export const site = { get: () => requestJson('GET', '/api/site', Site, { anonymousOk: true }) };

/** The member's Home page in one request. */
export const home = { get: () => requestJson('GET', '/api/me/home', Home) };

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
  /** `email` is the recipient's address, required while the sender's invitations are restricted. */
  send: (recipientId: string, note?: string, email?: string) => requestJson('POST', '/api/invitations', SendResult, { body: { recipientId, note, email } }),
  accept: (id: string) => requestJson('POST', inv(id, 'accept'), ReceivedInvitation),
  ignore: (id: string) => requestJson('POST', inv(id, 'ignore'), ReceivedInvitation),
  /** Undo an ignore: back to the inbox (not after "I don't know this person" or a spam report). */
  restore: (id: string) => requestJson('POST', inv(id, 'restore'), ReceivedInvitation),
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
  /** The conversation with a connection: found, or started (201) when there is none yet. */
  start: (memberId: string) => requestJson('POST', '/api/conversations', Conversation, { body: { memberId } }),
  /** Newest activity first, with the count of conversations that have unread messages. */
  list: (cursor?: string, limit = 20) => requestJson('GET', '/api/conversations', ConversationsPage, { query: { cursor, limit } }),
  /** Opening a conversation reads it; the answer says who the other member is. */
  markRead: (id: string) => requestJson('POST', `/api/conversations/${encodeURIComponent(id)}/read`, Conversation),
  /** Newest first. */
  messages: (id: string, cursor?: string, limit = 20) =>
    requestJson('GET', `/api/conversations/${encodeURIComponent(id)}/messages`, MessagePage, { query: { cursor, limit } }),
  send: (id: string, body: string) => requestJson('POST', `/api/conversations/${encodeURIComponent(id)}/messages`, Message, { body: { body } }),
};

export const emailPreferences = {
  get: () => requestJson('GET', '/api/me/email-preferences', EmailPreferences),
  update: (body: EmailPreferencesUpdate) => requestJson('PATCH', '/api/me/email-preferences', EmailPreferences, { body }),
};

export const notifications = {
  list: (cursor?: string, limit = 20) => requestJson('GET', '/api/notifications', NotificationsPage, { query: { cursor, limit } }),
  counts: () => requestJson('GET', '/api/notifications/unread-count', UnreadCounts),
  /** The given ones, or all of them; answers the new badge counts. */
  markRead: (ids?: string[]) => requestJson('POST', '/api/notifications/read', UnreadCounts, { body: ids ? { ids } : {} }),
};

export const health = {
  get: () => requestJson('GET', '/api/me/health', AccountHealth),
  acknowledge: () => requestVoid('POST', '/api/me/health/acknowledge'),
  appeal: (enforcementId: string, message: string) => requestJson('POST', '/api/me/appeals', AppealCreated, { body: { enforcementId, message } }),
};

const adm = (path: string) => `/api/admin/${path}`;
const enc = encodeURIComponent;

export const admin = {
  spamReports: (cursor?: string) => requestJson('GET', adm('spam-reports'), SpamReportPage, { query: { status: 'open', cursor } }),
  decideReport: (id: string, decision: 'uphold' | 'dismiss', reason: string) =>
    requestJson('POST', adm(`spam-reports/${enc(id)}/${decision}`), DecisionResult, { body: { reason } }),
  enforcements: (cursor?: string) => requestJson('GET', adm('enforcements'), EnforcementPage, { query: { source: 'auto', cursor } }),
  appeals: (cursor?: string) => requestJson('GET', adm('appeals'), AppealPage, { query: { status: 'open', cursor } }),
  decideAppeal: (id: string, decision: 'accept' | 'reject', note: string) =>
    requestJson('POST', adm(`appeals/${enc(id)}/${decision}`), DecisionResult, { body: { note } }),
  setLevel: (memberId: string, action: LevelAction, reason: string, days?: number) =>
    requestJson('POST', adm(`members/${enc(memberId)}/${action}`), LevelResult, { body: { reason, days } }),
  lookup: (q: string, cursor?: string) => requestJson('GET', adm('members'), LookupPage, { query: { q, cursor } }),
  member: (id: string) => requestJson('GET', adm(`members/${enc(id)}`), MemberModeration),
  audit: (cursor?: string) => requestJson('GET', adm('audit'), AuditPage, { query: { cursor } }),
};
