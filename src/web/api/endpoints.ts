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
import { MemberSummary, Profile, type ProfileUpdate } from '../../contracts/profiles.js';
import { ApiError, requestJson, requestVoid, setCsrfToken } from './client.js';

const MemberPage = page(MemberSummary);
const TokenPage = page(ApiToken);
export type MemberPage = z.infer<typeof MemberPage>;
export type TokenPage = z.infer<typeof TokenPage>;
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
  get: (id: string) => requestJson('GET', `/api/members/${encodeURIComponent(id)}`, Profile),
  search: (q: string, cursor?: string, limit = 20) => requestJson('GET', '/api/members', MemberPage, { query: { q, cursor, limit } }),
};

export const tokens = {
  list: (cursor?: string, limit = 20) => requestJson('GET', '/api/tokens', TokenPage, { query: { cursor, limit } }),
  create: (body: z.input<typeof ApiTokenCreateBody>) => requestJson('POST', '/api/tokens', ApiTokenCreated, { body }),
  revoke: (id: string) => requestVoid('DELETE', `/api/tokens/${encodeURIComponent(id)}`),
};
