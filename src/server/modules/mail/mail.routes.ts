/**
 * Email routes:
 * - /api/me/email-preferences (GET, PATCH): a member's categories, in the API (auth: member).
 * - /unsubscribe?token=… : the link in every optional email and its List-Unsubscribe header. GET
 *   shows a page with a confirm button and changes nothing (mail scanners follow links); POST is
 *   the RFC 8058 one-click endpoint (mail clients post `List-Unsubscribe=One-Click`) and the
 *   button's target: the category is off at once. The signed token is the authorisation.
 * - /dev/mail: the local mail viewer, only when no SMTP server is configured (the out-of-the-box
 *   setup). It shows every stored email, so a deployment that faces the internet must set SMTP_URL.
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EmailPreferences, EmailPreferencesUpdate, type OptionalCategory } from '../../../contracts/email.js';
import type { AppContext } from '../../context.js';
import { errors, principalOf, security } from '../../http/route.js';
import { escapeHtml } from './email.templates.js';

export function emailPreferenceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const secured = { config: { auth: 'member' as const } };
    app.get('/me/email-preferences', {
      ...secured,
      schema: {
        tags: ['email'],
        summary: 'My email preferences',
        description: 'One switch per optional category. Account emails (password reset, sign-up notices) are transactional and always sent.',
        security: security('member'),
        response: { 200: EmailPreferences, ...errors(401) },
      },
      handler: async (req) => ctx.mailer.preferences.get(principalOf(req).memberId),
    });

    app.patch('/me/email-preferences', {
      ...secured,
      schema: {
        tags: ['email'],
        summary: 'Change my email preferences',
        description: 'Send any subset of categories. A change applies to emails already queued: they are checked again when sent.',
        security: security('member'),
        body: EmailPreferencesUpdate,
        response: { 200: EmailPreferences, ...errors(401, 403) },
      },
      handler: async (req) => ctx.mailer.preferences.update(principalOf(req).memberId, req.body),
    });
  };
}

const LABELS: Record<OptionalCategory, string> = {
  invitations: 'invitation emails',
  reminders: 'invitation reminders',
  messages: 'new-message digests',
};

/** Outside /api, like every route factory here a plugin for `app.register` (its parser stays inside). */
export function unsubscribeRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (scope) => {
    // One-click posts are form-encoded (RFC 8058); the body carries nothing we need.
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, _body, done) => done(null, undefined));

    scope.get('/unsubscribe', { schema: { hide: true } }, async (req, reply) => {
      const token = tokenOf(req.query);
      const who = token === undefined ? undefined : ctx.mailer.preferences.tokens.verify(token);
      if (!who || token === undefined) return page(reply, 400, 'This link is not valid', '<p>This unsubscribe link is not valid. Change what Rapport emails you in your email settings.</p>');
      const action = `/unsubscribe?token=${encodeURIComponent(token)}`;
      return page(
        reply,
        200,
        `Unsubscribe from ${LABELS[who.category]}?`,
        `<p>Rapport will stop sending you ${escapeHtml(LABELS[who.category])}. Other emails are not affected.</p>
<form method="post" action="${escapeHtml(action)}"><button type="submit">Unsubscribe</button></form>`,
      );
    });

    scope.post('/unsubscribe', { schema: { hide: true } }, async (req, reply) => {
      const token = tokenOf(req.query);
      const done = token === undefined ? undefined : await ctx.mailer.preferences.unsubscribe(token);
      if (!done) return page(reply, 400, 'This link is not valid', '<p>This unsubscribe link is not valid. Change what Rapport emails you in your email settings.</p>');
      return page(reply, 200, 'You are unsubscribed', `<p>Rapport will not send you ${escapeHtml(LABELS[done.category])} any more. You can turn them back on in your email settings.</p>`);
    });
  };
}

function tokenOf(query: unknown): string | undefined {
  if (typeof query !== 'object' || query === null || !('token' in query)) return undefined;
  const token = query.token;
  return typeof token === 'string' && token.length > 0 && token.length <= 512 ? token : undefined;
}

function page(reply: FastifyReply, status: number, title: string, body: string) {
  const settings = '/settings/email';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)} · Rapport</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:560px;margin:3rem auto;padding:0 1rem;color:#1d2226}button{font:inherit;font-weight:600;padding:.5rem 1.25rem;border-radius:999px;border:0;background:#0a66c2;color:#fff;cursor:pointer}button:focus-visible{outline:3px solid #1d2226;outline-offset:2px}a{color:#0a66c2}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}<p><a href="${settings}">Email settings</a></p></main></body></html>`;
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(html);
}

export function mailViewerRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/dev/mail', { schema: { hide: true } }, async (_req, reply) => {
      const rows = await ctx.database.db.selectFrom('emails').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(100).execute();
      const items = rows
        .map((r) => {
          const state = r.skipped_reason ? `skipped: ${r.skipped_reason}` : r.sent_at ? 'sent' : 'queued';
          const unsubscribe = ctx.mailer.headersFor(r)['List-Unsubscribe'];
          return `<article><h2>${escapeHtml(r.subject)}</h2><p class="meta">To ${escapeHtml(r.to_address)} · ${escapeHtml(r.category)} · ${escapeHtml(r.created_at)} · ${escapeHtml(state)}${
            unsubscribe ? ` · List-Unsubscribe ${escapeHtml(unsubscribe)}` : ''
          }</p><pre>${escapeHtml(r.text_body)}</pre></article>`;
        })
        .join('\n');
      const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Rapport · local mail</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem;color:#1d2226}article{border:1px solid #d0d7de;border-radius:8px;padding:0 1rem;margin:1rem 0}.meta{color:#56687a}pre{white-space:pre-wrap}</style></head>
<body><main><h1>Local mail viewer</h1><p>No SMTP server is configured (SMTP_URL), so Rapport keeps its emails here. Newest first, last 100.</p>${items || '<p>No emails yet.</p>'}</main></body></html>`;
      return reply.type('text/html; charset=utf-8').send(html);
    });
  };
}
