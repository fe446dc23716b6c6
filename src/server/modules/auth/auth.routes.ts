import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApiToken,
  ApiTokenCreateBody,
  ApiTokenCreated,
  LoginBody,
  Me,
  SessionInfo,
  PasswordResetBody,
  PasswordResetConfirmBody,
  SignupBody,
  SignupResult,
} from '../../../contracts/auth.js';
import { IdParams, PageQuery, page } from '../../../contracts/common.js';
import type { AppContext } from '../../context.js';
import { SESSION_COOKIE } from '../../http/auth.plugin.js';
import { errors, principalOf, security } from '../../http/route.js';
import type { Principal } from './principal.js';

const SIGNUP_MESSAGE = 'If this email can be used, the account is ready: log in to continue. We have sent you an email.';
const RESET_MESSAGE = 'If an account uses this email, we have sent it a link to choose a new password.';

function me(p: Principal): Me {
  return { id: p.memberId, email: p.email, role: p.role, fullName: p.fullName, csrfToken: p.session?.csrfToken ?? null };
}

export function authRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const authRate = {
    max: ctx.config.RATE_LIMIT_AUTH_PER_IP,
    timeWindow: ctx.config.RATE_LIMIT_AUTH_WINDOW_SECONDS * 1000,
  };
  const secure = ctx.config.COOKIE_SECURE;

  return async (app) => {
    app.post('/auth/signup', {
      config: { auth: 'public', rateLimit: authRate },
      schema: {
        tags: ['auth'],
        summary: 'Create an account',
        description: 'Answers the same whether or not the email already has an account.',
        body: SignupBody,
        response: { 202: SignupResult, ...errors() },
      },
      handler: async (req, reply) => {
        await ctx.auth.signup(req.body);
        return reply.code(202).send({ status: 'accepted', message: SIGNUP_MESSAGE });
      },
    });

    app.post('/auth/login', {
      config: { auth: 'public', rateLimit: authRate },
      schema: {
        tags: ['auth'],
        summary: 'Log in and receive a session cookie',
        description: `Sets the HttpOnly \`${SESSION_COOKIE}\` cookie. After ${ctx.config.LOGIN_FAILURES_PER_ACCOUNT} failed attempts for one account within ${ctx.config.LOGIN_FAILURE_WINDOW_SECONDS} s, answers 429 with Retry-After until the window passes.`,
        body: LoginBody,
        response: { 200: Me, ...errors(401) },
      },
      handler: async (req, reply) => {
        const { token, principal } = await ctx.auth.login(req.body.email, req.body.password, { userAgent: req.headers['user-agent'] ?? '', ip: req.ip });
        reply.setCookie(SESSION_COOKIE, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: secure === 'auto' ? req.protocol === 'https' : secure === 'true',
          maxAge: ctx.config.SESSION_TTL_DAYS * 86_400,
        });
        return me(principal);
      },
    });

    app.post('/auth/logout', {
      config: { auth: 'member' },
      schema: { tags: ['auth'], summary: 'End this session', security: security('member'), response: { 204: z.undefined(), ...errors(401, 403) } },
      handler: async (req, reply) => {
        const session = principalOf(req).session;
        if (session) await ctx.auth.logout(session.id);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send();
      },
    });

    app.post('/auth/password-reset', {
      config: { auth: 'public', rateLimit: authRate },
      schema: {
        tags: ['auth'],
        summary: 'Email a password-reset link',
        description: 'Answers the same whether or not the email has an account.',
        body: PasswordResetBody,
        response: { 202: SignupResult, ...errors() },
      },
      handler: async (req, reply) => {
        await ctx.auth.requestPasswordReset(req.body.email);
        return reply.code(202).send({ status: 'accepted', message: RESET_MESSAGE });
      },
    });

    app.post('/auth/password-reset/confirm', {
      config: { auth: 'public', rateLimit: authRate },
      schema: {
        tags: ['auth'],
        summary: 'Choose a new password with a reset token',
        description: 'Ends every session of the account.',
        body: PasswordResetConfirmBody,
        response: { 204: z.undefined(), ...errors() },
      },
      handler: async (req, reply) => {
        await ctx.auth.confirmPasswordReset(req.body.token, req.body.password);
        return reply.code(204).send();
      },
    });

    app.get('/auth/session', {
      config: { auth: 'optional' },
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in, if anyone',
        description: 'Like `GET /api/me`, but answers 200 with `member: null` when no one is signed in, so a page can ask without an error.',
        response: { 200: SessionInfo, ...errors(401) },
      },
      handler: async (req) => ({ member: req.principal ? me(req.principal) : null }),
    });

    app.get('/me', {
      config: { auth: 'member' },
      schema: { tags: ['auth'], summary: 'Who am I', security: security('member'), response: { 200: Me, ...errors(401) } },
      handler: async (req) => me(principalOf(req)),
    });

    app.get('/tokens', {
      config: { auth: 'member' },
      schema: {
        tags: ['auth'],
        summary: 'List my live API tokens, newest first',
        security: security('member'),
        querystring: PageQuery,
        response: { 200: page(ApiToken), ...errors(401) },
      },
      handler: async (req) => ctx.auth.listTokens(principalOf(req).memberId, req.query.cursor, req.query.limit),
    });

    app.post('/tokens', {
      config: { auth: 'member' },
      schema: {
        tags: ['auth'],
        summary: 'Create a personal API token',
        description: 'The secret is returned once. Send it as `Authorization: Bearer <secret>`.',
        security: security('member'),
        body: ApiTokenCreateBody,
        response: { 201: ApiTokenCreated, ...errors(401, 403) },
      },
      handler: async (req, reply) => reply.code(201).send(await ctx.auth.createToken(principalOf(req).memberId, req.body.name)),
    });

    app.delete('/tokens/:id', {
      config: { auth: 'member' },
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token',
        security: security('member'),
        params: IdParams,
        response: { 204: z.undefined(), ...errors(401, 403, 404) },
      },
      handler: async (req, reply) => {
        await ctx.auth.revokeToken(principalOf(req).memberId, req.params.id);
        return reply.code(204).send();
      },
    });
  };
}
