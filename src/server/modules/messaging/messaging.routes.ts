import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, PageQuery, page } from '../../../contracts/common.js';
import { Conversation, ConversationsPage, Message, MessageBody, StartConversationBody } from '../../../contracts/messaging.js';
import type { AppContext } from '../../context.js';
import { errors, principalOf, security } from '../../http/route.js';

const auth = { config: { auth: 'member' as const } };
const tags = ['messaging'];
const sec = security('member');

export function messagingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/conversations', {
      ...auth,
      schema: {
        tags,
        summary: 'My conversations, newest activity first, with unread counts',
        description: 'Only conversations with at least one message are listed. `counts.unread` is the number of conversations with unread messages.',
        security: sec,
        querystring: PageQuery,
        response: { 200: ConversationsPage, ...errors(401) },
      },
      handler: async (req) => ctx.messaging.list(principalOf(req).memberId, req.query.cursor, req.query.limit),
    });

    app.post('/conversations', {
      ...auth,
      schema: {
        tags,
        summary: 'Start a conversation with a connection, or find the one you have',
        description:
          'Answers 201 with a new conversation, 200 with the existing one. Only with a connection, or in a reply thread the invitation recipient opened and that is still open: otherwise 403 `MessageNotAllowed`. An unknown or blocked member is 404 `MemberNotFound`.',
        security: sec,
        body: StartConversationBody,
        response: { 200: Conversation, 201: Conversation, ...errors(401, 403, 404) },
      },
      handler: async (req, reply) => {
        const { created, conversation } = await ctx.messaging.start(principalOf(req).memberId, req.body.memberId);
        return reply.code(created ? 201 : 200).send(conversation);
      },
    });

    app.get('/conversations/:id', {
      ...auth,
      schema: { tags, summary: 'One conversation: the other member, last message, unread count', security: sec, params: IdParams, response: { 200: Conversation, ...errors(401, 404) } },
      handler: async (req) => ctx.messaging.get(principalOf(req).memberId, req.params.id),
    });

    app.post('/conversations/:id/read', {
      ...auth,
      schema: {
        tags,
        summary: 'Mark a conversation read, with its message notifications',
        description: 'Idempotent. Answers the conversation with `unreadCount: 0`.',
        security: sec,
        params: IdParams,
        response: { 200: Conversation, ...errors(401, 404) },
      },
      handler: async (req) => ctx.messaging.markRead(principalOf(req).memberId, req.params.id),
    });

    app.get('/conversations/:id/messages', {
      ...auth,
      schema: {
        tags,
        summary: 'Messages of a conversation, newest first',
        security: sec,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: page(Message), ...errors(401, 404) },
      },
      handler: async (req) => ctx.messaging.messages(principalOf(req).memberId, req.params.id, req.query.cursor, req.query.limit),
    });

    app.post('/conversations/:id/messages', {
      ...auth,
      schema: {
        tags,
        summary: 'Send a message in a conversation',
        description: 'Plain text, at most MESSAGE_MAX_CHARS characters (default 8000). 403 `MessageNotAllowed` once you may no longer write here (not connected, and the reply thread closed).',
        security: sec,
        params: IdParams,
        body: MessageBody,
        response: { 201: Message, ...errors(401, 403, 404) },
      },
      handler: async (req, reply) => reply.code(201).send(await ctx.messaging.post(principalOf(req).memberId, req.params.id, req.body.body)),
    });
  };
}
