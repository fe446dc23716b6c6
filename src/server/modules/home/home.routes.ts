/**
 * Two small reads for the web app: what this server is (mode, local mail, the demo login) before
 * anyone logs in, and a member's Home page in one request. Home composes the other modules' own
 * member-side reads (the received inbox, conversations, unread counts, people you may know), so
 * it shows nothing those do not: no sender-side view, no count of anyone else's answers.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Home, Site } from '../../../contracts/site.js';
import type { AppContext } from '../../context.js';
import { errors, principalOf, security } from '../../http/route.js';
import { availableDemoLogin } from '../auth/index.js';

const LATEST = 3;
const SUGGESTIONS = 4;

export function homeRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const mode = ctx.config.NODE_ENV;
  return async (app) => {
    app.get('/site', {
      config: { auth: 'public' },
      schema: {
        tags: ['ops'],
        summary: 'This server, as the web app needs to know it',
        description: 'The mode, whether the local mail viewer is on (never in production), and the demo login while the seeded demo account exists with its seeded password.',
        response: { 200: Site, ...errors() },
      },
      handler: async () => ({
        mode,
        mailViewer: mode !== 'production' && ctx.mailer.viewerEnabled,
        demoLogin: await availableDemoLogin(ctx.database.db),
      }),
    });

    app.get('/me/home', {
      config: { auth: 'member' },
      schema: {
        tags: ['profiles'],
        summary: 'My Home page: what needs my attention',
        description: `Invitations waiting in my inbox and the latest ${LATEST}, my latest ${LATEST} conversations and how many have unread messages, unread notifications, and ${SUGGESTIONS} people I may know.`,
        security: security('member'),
        response: { 200: Home, ...errors(401) },
      },
      handler: async (req) => {
        const me = principalOf(req).memberId;
        const [received, conversations, unread, suggestions] = await Promise.all([
          ctx.invitations.listReceived(me, 'inbox', undefined, LATEST),
          ctx.messaging.list(me, undefined, LATEST),
          ctx.notifications.unreadCounts(me),
          ctx.suggestions.suggest(me, SUGGESTIONS),
        ]);
        return {
          invitations: { waiting: received.counts.inbox, latest: received.items },
          messages: { unreadConversations: conversations.counts.unread, latest: conversations.items },
          notifications: { unread: unread.unreadCount },
          suggestions,
        };
      },
    });
  };
}
