/**
 * buildApp(ctx): the HTTP face of Rapport. One error handler turns every failure into
 * {"error":{"code","message","details"}}; 5xx bodies never carry internals; every response carries
 * x-request-id.
 */
import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ErrorBody } from '../contracts/errors.js';
import type { AppContext } from './context.js';
import { AppError, statusOf, type ErrorCode } from './errors.js';
import { authPlugin } from './http/auth.plugin.js';
import { refuseNulCharacters, registerJsonParser } from './http/json-body.js';
import { errors } from './http/route.js';
import { newId } from './ids.js';
import { CompactRequestLog, prettyLogs } from './logging.js';
import { accountDataRoutes } from './modules/account/account.routes.js';
import { accountRoutes } from './modules/auth/account.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { emailPreferenceRoutes, mailViewerRoutes, unsubscribeRoutes } from './modules/mail/mail.routes.js';
import { memberRoutes } from './modules/members/member.routes.js';
import { invitationRoutes } from './modules/invitations/invitation.routes.js';
import { connectionRoutes } from './modules/connections/connection.routes.js';
import { graphRoutes } from './modules/graph/graph.routes.js';
import { homeRoutes } from './modules/home/home.routes.js';
import { messagingRoutes } from './modules/messaging/messaging.routes.js';
import { notificationRoutes } from './modules/notifications/notification.routes.js';
import { adminRoutes, safetyRoutes } from './modules/safety/safety.routes.js';

const WEB_ROOT = resolve(import.meta.dirname, '../../dist/web');
const ASSETS = resolve(WEB_ROOT, 'assets') + sep;

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = ctx.log;
  const app = Fastify({
    loggerInstance,
    genReqId: () => newId(),
    bodyLimit: ctx.config.BODY_LIMIT_BYTES,
    trustProxy: true,
    // Errors raised while routing (a URL that is not valid percent-encoding, an over-long path
    // parameter) skip the hooks and the error handler; give them the same shape and request id.
    frameworkErrors: sendFrameworkError,
    // Pretty logs (development) say each request in one line, when it is done (logging.ts).
    ...(prettyLogs(ctx.config) ? { logController: new CompactRequestLog() } : {}),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // The API speaks JSON only: a text/plain body is refused as 415, not parsed into a string.
  app.removeContentTypeParser('text/plain');
  registerJsonParser(app);

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toErrorResponse(err, req.id);
    if (status >= 500) req.log.error({ err }, 'request failed');
    const retryAt = body.error.details && typeof body.error.details === 'object' && 'retryAt' in body.error.details ? body.error.details.retryAt : undefined;
    if (typeof retryAt === 'string' && !reply.hasHeader('retry-after')) {
      reply.header('retry-after', Math.max(1, Math.ceil((Date.parse(retryAt) - ctx.clock.now().getTime()) / 1000)));
    }
    return reply.code(status).send(body);
  });

  // API answers over 1 KB go out brotli- or gzip-compressed when the client accepts it (a page of
  // invitations shrinks about 3×); the web app's files are compressed once, at build (see below).
  await app.register(fastifyCompress, { encodings: ['br', 'gzip'], threshold: 1024 });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, rl) =>
      new AppError('RateLimited', 'Too many requests. Slow down and try again shortly.', {
        retryAt: new Date(ctx.clock.now().getTime() + rl.ttl).toISOString(),
      }),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Rapport API',
        version: '0.1.0',
        description: 'Every failure answers `{"error":{"code","message","details"}}` with a stable code. Lists use keyset pagination: pass `nextCursor` back as `cursor`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'rapport_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token', description: 'Required with the session cookie on POST, PATCH, PUT and DELETE; read it from GET /api/me.' },
          bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token from POST /api/tokens.' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  await app.register(
    async (api) => {
      authPlugin(
        api,
        ctx.auth,
        {
          perIpPerMinute: ctx.config.RATE_LIMIT_API_PER_IP_PER_MINUTE,
          perAccountPerMinute: ctx.config.RATE_LIMIT_API_PER_MINUTE,
        },
        ctx.clock,
      );
      api.addHook('preValidation', async (req) => refuseNulCharacters(req));
      api.get('/health', {
        config: { auth: 'public' },
        schema: {
          tags: ['ops'],
          summary: 'Liveness and database check',
          response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) }), ...errors(503) },
        },
        handler: async () => {
          try {
            await ctx.database.ping();
          } catch {
            throw new AppError('ServiceUnavailable', 'The database is not answering.');
          }
          return { status: 'ok' as const, database: ctx.database.dialect };
        },
      });
      api.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());
      await api.register(authRoutes(ctx));
      await api.register(accountRoutes(ctx));
      await api.register(accountDataRoutes(ctx));
      await api.register(memberRoutes(ctx));
      await api.register(invitationRoutes(ctx));
      await api.register(connectionRoutes(ctx));
      await api.register(graphRoutes(ctx));
      await api.register(messagingRoutes(ctx));
      await api.register(emailPreferenceRoutes(ctx));
      await api.register(notificationRoutes(ctx));
      await api.register(safetyRoutes(ctx));
      await api.register(adminRoutes(ctx));
      await api.register(homeRoutes(ctx));
    },
    { prefix: '/api' },
  );
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { url: '/api/openapi.json' } });
  await app.register(unsubscribeRoutes(ctx));
  if (ctx.mailer.viewerEnabled) await app.register(mailViewerRoutes(ctx));

  const hasWeb = existsSync(resolve(WEB_ROOT, 'index.html'));
  if (hasWeb) {
    // The build writes .br and .gz beside each text file (vite.config.ts); they are sent as they are.
    // Vite names assets by their content, so a browser may keep them for good; index.html and the
    // rest must be asked again each time, or a deploy would leave browsers on the old bundle.
    await app.register(fastifyStatic, {
      root: WEB_ROOT,
      wildcard: false,
      preCompressed: true,
      setHeaders: (reply, path) => void reply.header('cache-control', path.startsWith(ASSETS) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  }
  app.setNotFoundHandler((req, reply) => {
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api/')) return reply.sendFile('index.html');
    return reply.code(404).send(body('RouteNotFound', `No route ${req.method} ${req.url.split('?')[0]}.`));
  });
  return app;
}

function body(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

const FASTIFY_CODES: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ['MalformedJson', 'The request body is not valid JSON.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['MalformedJson', 'The request body is empty but declared as JSON.'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['PayloadTooLarge', 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UnsupportedMediaType', 'Send the body as application/json.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['ValidationFailed', 'The Content-Length header does not match the body.'],
  FST_ERR_BAD_URL: ['ValidationFailed', 'The URL is not valid percent-encoding.'],
  FST_ERR_MAX_PARAM_LENGTH: ['ValidationFailed', 'A path parameter is too long.'],
};

function sendFrameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorResponse(err, req.id);
  void reply.header('x-request-id', req.id).code(status).send(body);
}

export function toErrorResponse(err: unknown, requestId: string): { status: number; body: ErrorBody } {
  if (err instanceof AppError) return { status: statusOf(err.code), body: body(err.code, err.message, err.details) };
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({
      in: err.validationContext,
      path: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
      message: v.message ?? 'Invalid value.',
    }));
    return { status: 400, body: body('ValidationFailed', 'Some fields are not valid.', { issues }) };
  }
  // Anything may be thrown, null included.
  const fe = (typeof err === 'object' && err !== null ? err : {}) as Partial<FastifyError>;
  const known = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (known) return { status: statusOf(known[0]), body: body(known[0], known[1]) };
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: 400, body: body('ValidationFailed', 'The request is not valid.') };
  }
  return {
    status: 500,
    body: body('InternalError', `Something went wrong on our side. Quote request id ${requestId} if you report it.`),
  };
}
