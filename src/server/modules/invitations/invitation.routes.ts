import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, PageQuery, page } from '../../../contracts/common.js';
import {
  Invitation,
  InvitationEvent,
  Message,
  MessageBody,
  ReceivedInvitation,
  ReceivedPage,
  ReceivedQuery,
  SendInvitationBody,
  SendResult,
  SentInvitation,
  SentPage,
  SentQuery,
} from '../../../contracts/invitations.js';
import type { AppContext } from '../../context.js';
import { errors, principalOf, security } from '../../http/route.js';

const auth = { config: { auth: 'member' as const } };
const tags = ['invitations'];
const sec = security('member');

export function invitationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/invitations', {
      ...auth,
      schema: {
        tags,
        summary: 'Invite a member to connect',
        description:
          'Answers 201 with a new invitation; 200 with the same invitation when one to this member is already open (idempotent); 200 with `outcome: connected` when the member had already invited you. Limits answer 429 with `details.retryAt` and Retry-After.',
        security: sec,
        body: SendInvitationBody,
        response: { 200: SendResult, 201: SendResult, ...errors(401, 403, 404, 409, 422) },
      },
      handler: async (req, reply) => {
        const { created, result } = await ctx.invitations.send(principalOf(req).memberId, req.body.recipientId, req.body.note, req.body.email);
        return reply.code(created ? 201 : 200).send(result);
      },
    });

    app.get('/invitations/received', {
      ...auth,
      schema: {
        tags,
        summary: 'Invitations I received, by folder, newest first, with badge counts',
        security: sec,
        querystring: ReceivedQuery,
        response: { 200: ReceivedPage, ...errors(401) },
      },
      handler: async (req) => ctx.invitations.listReceived(principalOf(req).memberId, req.query.folder, req.query.cursor, req.query.limit),
    });

    app.get('/invitations/sent', {
      ...auth,
      schema: {
        tags,
        summary: 'Invitations I sent, newest first, with the pending count',
        security: sec,
        querystring: SentQuery,
        response: { 200: SentPage, ...errors(401) },
      },
      handler: async (req) => ctx.invitations.listSent(principalOf(req).memberId, req.query.status, req.query.cursor, req.query.limit),
    });

    app.get('/invitations/:id', {
      ...auth,
      schema: { tags, summary: 'One invitation, as its sender or its recipient sees it', security: sec, params: IdParams, response: { 200: Invitation, ...errors(401, 404) } },
      handler: async (req) => ctx.invitations.get(principalOf(req).memberId, req.params.id),
    });

    const recipientAction = (path: string, summary: string, run: (memberId: string, id: string) => Promise<ReceivedInvitation>) =>
      app.post(`/invitations/:id/${path}`, {
        ...auth,
        schema: { tags, summary, security: sec, params: IdParams, response: { 200: ReceivedInvitation, ...errors(401, 403, 404, 409) } },
        handler: async (req) => run(principalOf(req).memberId, req.params.id),
      });
    recipientAction('accept', 'Accept (from the inbox or from Archived): you become connected', (m, id) => ctx.invitations.accept(m, id));
    recipientAction('ignore', 'Ignore: moves it to Archived; the sender is not told', (m, id) => ctx.invitations.ignore(m, id));
    recipientAction('restore', 'Move an ignored invitation back to the inbox (Undo); the sender is not told', (m, id) => ctx.invitations.restore(m, id));
    recipientAction('idk', '"I don\'t know this person" (ignores too, if still pending); the sender is not told', (m, id) => ctx.invitations.idk(m, id));
    recipientAction('spam', 'Report as spam: like "I don\'t know", plus a moderation report', (m, id) => ctx.invitations.reportSpam(m, id));

    app.post('/invitations/:id/withdraw', {
      ...auth,
      schema: {
        tags,
        summary: 'Withdraw an invitation I sent',
        description: 'Starts the re-invite cooldown for this member. Repeating it returns the same result.',
        security: sec,
        params: IdParams,
        response: { 200: SentInvitation, ...errors(401, 403, 404, 409) },
      },
      handler: async (req) => ctx.invitations.withdraw(principalOf(req).memberId, req.params.id),
    });

    app.post('/invitations/:id/replies', {
      ...auth,
      schema: {
        tags,
        summary: 'Reply to the sender without accepting',
        description: 'Opens or continues a conversation with the sender. The invitation does not change.',
        security: sec,
        params: IdParams,
        body: MessageBody,
        response: { 201: Message, ...errors(401, 403, 404, 409) },
      },
      handler: async (req, reply) => reply.code(201).send(await ctx.messaging.replyToInvitation(principalOf(req).memberId, req.params.id, req.body.body)),
    });

    app.get('/invitations/:id/events', {
      ...auth,
      schema: {
        tags,
        summary: "An invitation's event log, limited to what I may see",
        security: sec,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: page(InvitationEvent), ...errors(401, 404) },
      },
      handler: async (req) => ctx.invitations.events(principalOf(req).memberId, req.params.id, req.query.cursor, req.query.limit),
    });
  };
}

