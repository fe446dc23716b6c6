/**
 * The local mail viewer, only when no SMTP server is configured (the out-of-the-box setup).
 * It shows every stored email, so a deployment that faces the internet must set SMTP_URL.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { escapeHtml } from '../auth/auth.service.js';

export function mailViewerRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/dev/mail', { schema: { hide: true } }, async (_req, reply) => {
    const rows = await ctx.database.db.selectFrom('emails').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(100).execute();
    const items = rows
      .map(
        (r) => `<article><h2>${escapeHtml(r.subject)}</h2><p class="meta">To ${escapeHtml(r.to_address)} · ${escapeHtml(r.category)} · ${escapeHtml(r.created_at)}</p><pre>${escapeHtml(r.text_body)}</pre></article>`,
      )
      .join('\n');
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Rapport · local mail</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem;color:#1d2226}article{border:1px solid #d0d7de;border-radius:8px;padding:0 1rem;margin:1rem 0}.meta{color:#56687a}pre{white-space:pre-wrap}</style></head>
<body><main><h1>Local mail viewer</h1><p>No SMTP server is configured (SMTP_URL), so Rapport keeps its emails here. Newest first, last 100.</p>${items || '<p>No emails yet.</p>'}</main></body></html>`;
    return reply.type('text/html; charset=utf-8').send(html);
  });
}
