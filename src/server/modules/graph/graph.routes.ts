import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Suggestions, SuggestionsQuery } from '../../../contracts/profiles.js';
import type { AppContext } from '../../context.js';
import { errors, principalOf, security } from '../../http/route.js';

export function graphRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/network/suggestions', {
      config: { auth: 'member' },
      schema: {
        tags: ['connections'],
        summary: 'People you may know',
        description:
          'Ranked by mutual connections, shared employers and schools, industry and location. Never lists connections, blocked members, or anyone with an invitation between you, in either direction.',
        security: security('member'),
        querystring: SuggestionsQuery,
        response: { 200: Suggestions, ...errors(401) },
      },
      handler: async (req) => ({ items: await ctx.suggestions.suggest(principalOf(req).memberId, req.query.limit) }),
    });
  };
}
