import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MarkNotificationsReadBody, NotificationsPage, NotificationsQuery, UnreadCounts } from '../../../contracts/notifications.js';
import type { AppContext } from '../../context.js';
import { errors, principalOf, security } from '../../http/route.js';

const auth = { config: { auth: 'member' as const } };
const tags = ['notifications'];
const sec = security('member');

export function notificationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/notifications', {
      ...auth,
      schema: {
        tags,
        summary: 'My notifications, newest first, with the unread count',
        description: 'Kinds: invitation_received, invitation_accepted, message_received (unread messages of one conversation collapse into one). `unread=true` lists unread ones only.',
        security: sec,
        querystring: NotificationsQuery,
        response: { 200: NotificationsPage, ...errors(401) },
      },
      handler: async (req) => ctx.notifications.list(principalOf(req).memberId, req.query.unread === 'true', req.query.cursor, req.query.limit),
    });

    app.get('/notifications/unread-count', {
      ...auth,
      schema: {
        tags,
        summary: 'Badge counts: unread notifications and conversations with unread messages',
        security: sec,
        response: { 200: UnreadCounts, ...errors(401) },
      },
      handler: async (req) => ctx.notifications.unreadCounts(principalOf(req).memberId),
    });

    app.post('/notifications/read', {
      ...auth,
      schema: {
        tags,
        summary: 'Mark notifications read: the given ids, or all of them when `ids` is left out',
        description: 'Idempotent; ids that are not yours or already read are ignored. Answers the new badge counts.',
        security: sec,
        body: MarkNotificationsReadBody,
        response: { 200: UnreadCounts, ...errors(401) },
      },
      handler: async (req) => ctx.notifications.markRead(principalOf(req).memberId, req.body.ids),
    });
  };
}
