/** Account settings endpoints (src/server/modules/auth/account.routes.ts, modules/account/account.routes.ts). */
import { z } from 'zod';
import {
  AccountSettings,
  EmailChangeConfirmed,
  RevokedSessions,
  SessionList,
  type AccountDeleteBody,
  type EmailChangeBody,
  type PasswordChangeBody,
} from '../../contracts/account.js';
import { requestJson, requestVoid, setCsrfToken } from './client.js';

export const account = {
  get: () => requestJson('GET', '/api/account', AccountSettings),
  changePassword: (body: z.input<typeof PasswordChangeBody>) => requestJson('POST', '/api/account/password', z.object({ signedOut: z.number() }), { body }),
  changeEmail: (body: z.input<typeof EmailChangeBody>) => requestJson('POST', '/api/account/email', AccountSettings, { body }),
  confirmEmail: (token: string) => requestJson('POST', '/api/account/email/confirm', EmailChangeConfirmed, { body: { token }, anonymousOk: true }),
  sessions: () => requestJson('GET', '/api/account/sessions', SessionList),
  revokeSession: (id: string) => requestVoid('DELETE', `/api/account/sessions/${encodeURIComponent(id)}`),
  revokeOtherSessions: () => requestJson('POST', '/api/account/sessions/revoke-others', RevokedSessions),
  async delete(body: z.input<typeof AccountDeleteBody>): Promise<void> {
    await requestVoid('POST', '/api/account/delete', { body });
    setCsrfToken(null);
  },
};

/** Where the browser downloads the data export (a plain link: the session cookie goes with it). */
export const EXPORT_JSON_URL = '/api/account/export.json';
export const EXPORT_ZIP_URL = '/api/account/export.zip';
