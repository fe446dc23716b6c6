import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, PageQuery, page } from '../../../contracts/common.js';
import { MemberSearchQuery } from '../../../contracts/profiles.js';
import {
  AccountHealth,
  AppealBody,
  AppealCreated,
  AppealDecisionBody,
  AppealItem,
  AppealStatusQuery,
  AuditItem,
  DecisionBody,
  DecisionResult,
  EnforcementItem,
  EnforcementQuery,
  LevelBody,
  LevelResult,
  MemberLookupItem,
  MemberModeration,
  ReportStatusQuery,
  SpamReportItem,
} from '../../../contracts/safety.js';
import type { AppContext } from '../../context.js';
import { errors, principalOf, security } from '../../http/route.js';

const member = { config: { auth: 'member' as const } };
const admin = { config: { auth: 'admin' as const } };
const memberSec = security('member');
const adminSec = security('admin');

export function safetyRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/me/health', {
      ...member,
      schema: { tags: ['safety'], summary: 'My account health as of the last scheduled evaluation: level, reasons, limits, counters in bands (totals only)', security: memberSec, response: { 200: AccountHealth, ...errors(401) } },
      handler: async (req) => ctx.safety.health(principalOf(req).memberId),
    });

    app.post('/me/health/acknowledge', {
      ...member,
      schema: { tags: ['safety'], summary: 'Acknowledge a warning', security: memberSec, response: { 204: z.undefined(), ...errors(401, 403) } },
      handler: async (req, reply) => {
        await ctx.safety.acknowledge(principalOf(req).memberId);
        return reply.code(204).send();
      },
    });

    app.post('/me/appeals', {
      ...member,
      schema: {
        tags: ['safety'],
        summary: 'Appeal an enforcement (one appeal per enforcement)',
        security: memberSec,
        body: AppealBody,
        response: { 201: AppealCreated, ...errors(401, 403, 404, 409) },
      },
      handler: async (req, reply) => reply.code(201).send(await ctx.safety.appeal(principalOf(req).memberId, req.body.enforcementId, req.body.message)),
    });
  };
}

/** Moderation console API. Every route declares `auth: 'admin'`. */
export function adminRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['admin'];
    app.get('/admin/spam-reports', {
      ...admin,
      schema: { tags, summary: 'Spam reports by status, oldest first', security: adminSec, querystring: ReportStatusQuery, response: { 200: page(SpamReportItem), ...errors(401, 403) } },
      handler: async (req) => ctx.moderation.spamReports(req.query.status, req.query.cursor, req.query.limit),
    });
    for (const decision of ['uphold', 'dismiss'] as const) {
      app.post(`/admin/spam-reports/:id/${decision}`, {
        ...admin,
        schema: { tags, summary: `${decision === 'uphold' ? 'Uphold' : 'Dismiss'} a spam report`, security: adminSec, params: IdParams, body: DecisionBody, response: { 200: DecisionResult, ...errors(401, 403, 404) } },
        handler: async (req) => ctx.moderation.decideReport(principalOf(req).memberId, req.params.id, decision, req.body.reason),
      });
    }
    app.get('/admin/enforcements', {
      ...admin,
      schema: { tags, summary: 'Enforcements (automatic or by admins), newest first', security: adminSec, querystring: EnforcementQuery, response: { 200: page(EnforcementItem), ...errors(401, 403) } },
      handler: async (req) => ctx.moderation.enforcements(req.query.source, req.query.cursor, req.query.limit),
    });
    app.get('/admin/appeals', {
      ...admin,
      schema: { tags, summary: 'Appeals by status, oldest first', security: adminSec, querystring: AppealStatusQuery, response: { 200: page(AppealItem), ...errors(401, 403) } },
      handler: async (req) => ctx.moderation.appeals(req.query.status, req.query.cursor, req.query.limit),
    });
    for (const decision of ['accept', 'reject'] as const) {
      app.post(`/admin/appeals/:id/${decision}`, {
        ...admin,
        schema: { tags, summary: `${decision === 'accept' ? 'Accept (lifts the enforcement)' : 'Reject'} an appeal, with a note the member sees`, security: adminSec, params: IdParams, body: AppealDecisionBody, response: { 200: DecisionResult, ...errors(401, 403, 404) } },
        handler: async (req) => ctx.moderation.decideAppeal(principalOf(req).memberId, req.params.id, decision, req.body.note),
      });
    }
    for (const [action, level] of [['warn', 'warned'], ['restrict', 'restricted'], ['suspend', 'suspended'], ['lift', 'none']] as const) {
      app.post(`/admin/members/:id/${action}`, {
        ...admin,
        schema: { tags, summary: `${action[0]?.toUpperCase()}${action.slice(1)} a member`, security: adminSec, params: IdParams, body: LevelBody, response: { 200: LevelResult, ...errors(401, 403, 404) } },
        handler: async (req) => ctx.moderation.setLevel(principalOf(req).memberId, req.params.id, level, req.body.reason, req.body.days),
      });
    }
    app.get('/admin/members', {
      ...admin,
      schema: { tags, summary: 'Look up members by name or email', security: adminSec, querystring: MemberSearchQuery, response: { 200: page(MemberLookupItem), ...errors(401, 403) } },
      handler: async (req) => ctx.moderation.lookup(req.query.q, req.query.cursor, req.query.limit),
    });
    app.get('/admin/members/:id', {
      ...admin,
      schema: { tags, summary: "A member's standing, signals and enforcement history", security: adminSec, params: IdParams, response: { 200: MemberModeration, ...errors(401, 403, 404) } },
      handler: async (req) => ctx.moderation.memberDetail(req.params.id),
    });
    app.get('/admin/audit', {
      ...admin,
      schema: { tags, summary: 'The audit log of every admin and automatic action, newest first', security: adminSec, querystring: PageQuery, response: { 200: page(AuditItem), ...errors(401, 403) } },
      handler: async (req) => ctx.moderation.auditLog(req.query.cursor, req.query.limit),
    });
  };
}
