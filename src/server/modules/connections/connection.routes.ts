import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PageQuery, page } from '../../../contracts/common.js';
import { BlockBody, ConnectionsPage, ConnectionsQuery, MemberIdParams } from '../../../contracts/invitations.js';
import { MemberSummary } from '../../../contracts/profiles.js';
import type { AppContext } from '../../context.js';
import { errors, principalOf, security } from '../../http/route.js';

const auth = { config: { auth: 'member' as const } };
const sec = security('member');

export function connectionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/connections', {
      ...auth,
      schema: {
        tags: ['connections'],
        summary: 'My connections, searchable by name, most recent first or by name',
        security: sec,
        querystring: ConnectionsQuery,
        response: { 200: ConnectionsPage, ...errors(401) },
      },
      handler: async (req) => ctx.connections.list(principalOf(req).memberId, req.query.q, req.query.sort, req.query.cursor, req.query.limit),
    });

    app.delete('/connections/:memberId', {
      ...auth,
      schema: {
        tags: ['connections'],
        summary: 'Remove a connection, silently',
        security: sec,
        params: MemberIdParams,
        response: { 204: z.undefined(), ...errors(401, 403, 404) },
      },
      handler: async (req, reply) => {
        await ctx.connections.remove(principalOf(req).memberId, req.params.memberId);
        return reply.code(204).send();
      },
    });

    app.get('/blocks', {
      ...auth,
      schema: { tags: ['blocks'], summary: 'Members I blocked', security: sec, querystring: PageQuery, response: { 200: page(MemberSummary), ...errors(401) } },
      handler: async (req) => ctx.connections.listBlocked(principalOf(req).memberId, req.query.cursor, req.query.limit),
    });

    app.post('/blocks', {
      ...auth,
      schema: {
        tags: ['blocks'],
        summary: 'Block a member, silently',
        description: 'Removes the connection and withdraws open invitations both ways; each of you then sees the other as not found.',
        security: sec,
        body: BlockBody,
        response: { 204: z.undefined(), ...errors(401, 403, 404) },
      },
      handler: async (req, reply) => {
        await ctx.connections.block(principalOf(req).memberId, req.body.memberId);
        return reply.code(204).send();
      },
    });

    app.delete('/blocks/:memberId', {
      ...auth,
      schema: { tags: ['blocks'], summary: 'Unblock a member', security: sec, params: MemberIdParams, response: { 204: z.undefined(), ...errors(401, 403) } },
      handler: async (req, reply) => {
        await ctx.connections.unblock(principalOf(req).memberId, req.params.memberId);
        return reply.code(204).send();
      },
    });
  };
}
