import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AccountSettings,
  EmailChangeBody,
  EmailChangeConfirmBody,
  EmailChangeConfirmed,
  PasswordChangeBody,
  RevokedSessions,
  SessionList,
} from '../../../contracts/account.js';
import { IdParams } from '../../../contracts/common.js';
import type { AppContext } from '../../context.js';
import { errors, principalOf, security } from '../../http/route.js';
import { sessionOnly } from './principal.js';

export function accountRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const authRate = { max: ctx.config.RATE_LIMIT_AUTH_PER_IP, timeWindow: ctx.config.RATE_LIMIT_AUTH_WINDOW_SECONDS * 1000 };
  return async (app) => {
    app.get('/account', {
      config: { auth: 'member' },
      schema: { tags: ['account'], summary: 'My account: email and any email change waiting for its link', security: security('member'), response: { 200: AccountSettings, ...errors(401) } },
      handler: async (req) => ctx.account.settings(principalOf(req).memberId),
    });

    app.post('/account/password', {
      config: { auth: 'member' },
      schema: {
        tags: ['account'],
        summary: 'Change my password',
        description: 'Needs the current password and a web session. Signs out every other session (API tokens stay) and emails the account.',
        security: security('member'),
        body: PasswordChangeBody,
        response: { 200: z.object({ signedOut: z.number().int() }), ...errors(401, 403) },
      },
      handler: async (req) => {
        const p = principalOf(req);
        return ctx.account.changePassword(p.memberId, sessionOnly(p).id, req.body.currentPassword, req.body.newPassword);
      },
    });

    app.post('/account/email', {
      config: { auth: 'member' },
      schema: {
        tags: ['account'],
        summary: 'Ask to change my email address',
        description: 'Needs the current password and a web session. Sends a link to the new address, valid for 24 hours; the current address keeps working until it is used.',
        security: security('member'),
        body: EmailChangeBody,
        response: { 202: AccountSettings, ...errors(401, 403, 409, 422) },
      },
      handler: async (req, reply) => {
        const p = principalOf(req);
        sessionOnly(p);
        return reply.code(202).send(await ctx.account.requestEmailChange(p.memberId, req.body.password, req.body.newEmail));
      },
    });

    app.post('/account/email/confirm', {
      config: { auth: 'public', rateLimit: authRate },
      schema: {
        tags: ['account'],
        summary: 'Confirm a new email address with the link sent to it',
        description: 'Single-use. The old address is told of the change.',
        body: EmailChangeConfirmBody,
        response: { 200: EmailChangeConfirmed, ...errors(409) },
      },
      handler: async (req) => ctx.account.confirmEmailChange(req.body.token),
    });

    app.get('/account/sessions', {
      config: { auth: 'member' },
      schema: { tags: ['account'], summary: 'My signed-in sessions, newest first', security: security('member'), response: { 200: SessionList, ...errors(401) } },
      handler: async (req) => {
        const p = principalOf(req);
        return { items: await ctx.account.listSessions(p.memberId, p.session?.id) };
      },
    });

    app.delete('/account/sessions/:id', {
      config: { auth: 'member' },
      schema: { tags: ['account'], summary: 'Sign out one session', security: security('member'), params: IdParams, response: { 204: z.undefined(), ...errors(401, 403, 404) } },
      handler: async (req, reply) => {
        await ctx.account.revokeSession(principalOf(req).memberId, req.params.id);
        return reply.code(204).send();
      },
    });

    app.post('/account/sessions/revoke-others', {
      config: { auth: 'member' },
      schema: { tags: ['account'], summary: 'Sign out every other session', security: security('member'), response: { 200: RevokedSessions, ...errors(401, 403) } },
      handler: async (req) => {
        const p = principalOf(req);
        return { revoked: await ctx.account.revokeOtherSessions(p.memberId, p.session?.id) };
      },
    });
  };
}
