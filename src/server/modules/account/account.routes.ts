import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AccountDeleteBody, DataExport } from '../../../contracts/account.js';
import type { AppContext } from '../../context.js';
import { SESSION_COOKIE } from '../../http/auth.plugin.js';
import { errors, principalOf, security } from '../../http/route.js';
import { sessionOnly } from '../auth/index.js';
import { exportZip } from './export-csv.js';

const day = (iso: string) => iso.slice(0, 10);

export function accountDataRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/account/export.json', {
      config: { auth: 'member' },
      schema: {
        tags: ['account'],
        summary: 'Download my data as JSON',
        description: 'Everything Rapport holds about me, as I may see it. Sent invitations show only pending, accepted, withdrawn or expired.',
        security: security('member'),
        response: { 200: DataExport, ...errors(401) },
      },
      handler: async (req, reply) => {
        const p = principalOf(req);
        const data = await ctx.accountExport.export(p.memberId, p.session?.id);
        reply.header('content-disposition', `attachment; filename="rapport-data-${day(data.exportedAt)}.json"`);
        return data;
      },
    });

    app.get('/account/export.zip', {
      config: { auth: 'member' },
      schema: {
        tags: ['account'],
        summary: 'Download my data as CSV files in a zip',
        description: 'The sections of export.json, one CSV file each (UTF-8 with a byte order mark, RFC 4180 quoting), in one application/zip.',
        security: security('member'),
        // Fastify sends a Buffer as it is (no serializer), so this schema documents and types only.
        response: { 200: z.any().describe('A zip of CSV files (application/zip).'), ...errors(401) },
      },
      handler: async (req, reply) => {
        const p = principalOf(req);
        const data = await ctx.accountExport.export(p.memberId, p.session?.id);
        return reply
          .type('application/zip')
          .header('content-disposition', `attachment; filename="rapport-data-${day(data.exportedAt)}.zip"`)
          .send(Buffer.from(exportZip(data)));
      },
    });

    app.post('/account/delete', {
      config: { auth: 'member' },
      schema: {
        tags: ['account'],
        summary: 'Delete my account',
        description:
          'Needs the current password and a web session. Open invitations I sent are withdrawn and ones I received expire; connections are removed; my messages stay with their other members under "Deleted member"; my profile, sessions and API tokens are erased. Nobody is notified. Cannot be undone.',
        security: security('member'),
        body: AccountDeleteBody,
        response: { 204: z.undefined(), ...errors(401, 403) },
      },
      handler: async (req, reply) => {
        const p = principalOf(req);
        sessionOnly(p);
        await ctx.accountDeletion.deleteAccount(p.memberId, req.body.password);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send();
      },
    });
  };
}
