import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, PageQuery, page } from '../../../contracts/common.js';
import { MemberProfile, MemberSearchQuery, MutualsPage, NetworkMember, Profile, ProfileUpdate } from '../../../contracts/profiles.js';
import type { AppContext } from '../../context.js';
import { errors, principalOf, security } from '../../http/route.js';
import { profileResponse, profileSerializerCompiler } from './member.views.js';

export function memberRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const secured = { config: { auth: 'member' as const } };

    app.get('/me/profile', {
      ...secured,
      schema: { tags: ['profiles'], summary: 'My profile', security: security('member'), response: { 200: Profile, ...errors(401) } },
      handler: async (req) => ctx.members.profile(principalOf(req).memberId),
    });

    app.patch('/me/profile', {
      ...secured,
      schema: {
        tags: ['profiles'],
        summary: 'Update my profile',
        description: 'Send any subset of fields. `positions` and `educations` replace the whole list.',
        security: security('member'),
        body: ProfileUpdate,
        response: { 200: Profile, ...errors(401, 403) },
      },
      handler: async (req) => ctx.members.updateProfile(principalOf(req).memberId, req.body),
    });

    app.get('/members', {
      ...secured,
      schema: {
        tags: ['profiles'],
        summary: 'Search members by name',
        security: security('member'),
        querystring: MemberSearchQuery,
        response: { 200: page(NetworkMember), ...errors(401) },
      },
      handler: async (req) => ctx.members.search(principalOf(req).memberId, req.query.q, req.query.cursor, req.query.limit),
    });

    app.get('/members/:id/mutuals', {
      ...secured,
      schema: {
        tags: ['profiles'],
        summary: 'Mutual connections with a member',
        description: 'Every connection the viewer and the member share, the best-connected first; `total` is the count shown on the profile.',
        security: security('member'),
        params: IdParams,
        querystring: PageQuery,
        response: { 200: MutualsPage, ...errors(401, 404) },
      },
      handler: async (req) => {
        const viewerId = principalOf(req).memberId;
        // Like the profile: an unknown member and a block either way answer MemberNotFound.
        await ctx.members.profile(req.params.id);
        await ctx.invitations.relationship(viewerId, req.params.id);
        return ctx.members.mutualsPage(viewerId, req.params.id, req.query.cursor, req.query.limit);
      },
    });

    app.get('/members/:id', {
      ...secured,
      schema: {
        tags: ['profiles'],
        summary: "A member's profile",
        security: security('member'),
        params: IdParams,
        response: { 200: MemberProfile, ...errors(401, 404) },
      },
      serializerCompiler: profileSerializerCompiler,
      handler: async (req) => {
        const viewerId = principalOf(req).memberId;
        // An unknown member and a block either way answer the same MemberNotFound.
        const profile = await ctx.members.profile(req.params.id);
        const relationship = await ctx.invitations.relationship(viewerId, req.params.id);
        return profileResponse(profile, { relationship, ...(await ctx.members.network(viewerId, req.params.id)) });
      },
    });
  };
}
