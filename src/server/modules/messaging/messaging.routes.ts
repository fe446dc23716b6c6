import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, PageQuery, page } from '../../../contracts/common.js';
import { Message, MessageBody } from '../../../contracts/invitations.js';
import type { AppContext } from '../../context.js';
import { errors, principalOf, security } from '../../http/route.js';

const auth = { config: { auth: 'member' as const } };
const sec = security('member');

export function messagingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/conversations/:id/messages', {
      ...auth,
      schema: {
        tags: ['messaging'],
        summary: 'Messages of a conversation, newest first',
        security: sec,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: page(Message), ...errors(401, 404) },
      },
      handler: async (req) => ctx.messaging.list(principalOf(req).memberId, req.params.id, req.query.cursor, req.query.limit),
    });

    app.post('/conversations/:id/messages', {
      ...auth,
      schema: {
        tags: ['messaging'],
        summary: 'Send a message in a conversation',
        security: sec,
        params: IdParams,
        body: MessageBody,
        response: { 201: Message, ...errors(401, 403, 404) },
      },
      handler: async (req, reply) => reply.code(201).send(await ctx.messaging.post(principalOf(req).memberId, req.params.id, req.body.body)),
    });
  };
}
