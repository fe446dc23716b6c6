/**
 * The one place errors become HTTP: every failure answers {"error":{"code","message",...}} with a
 * stable code and an x-request-id; 5xx bodies are opaque (the details go to the log, keyed by the
 * same request id).
 */
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../src/contracts/errors.js';
import { buildApp, toErrorResponse } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { closeContext, createContext } from '../src/server/context.js';
import { AppError } from '../src/server/errors.js';
import { MAX_JSON_DEPTH, nulPath } from '../src/server/http/json-body.js';
import { createTestApp, dialects, freshDatabase, signupAndLogin, type Session, type TestApp } from './_util.js';

const SECRET = 'pg password hunter2 in /srv/rapport/src/server/secret.ts:42';

function expectErrorShape(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['x-request-id']).toEqual(expect.any(String));
  const body = ErrorBody.parse(res.json());
  expect(body.error.code).toBe(code);
  return body;
}

describe('toErrorResponse', () => {
  it('maps an AppError through its code to the status and keeps its message and details', () => {
    const { status, body } = toErrorResponse(new AppError('MemberNotFound', 'No member has this id.', { id: 'x' }), 'req-1');
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'MemberNotFound', message: 'No member has this id.', details: { id: 'x' } } });
  });

  it('turns an unexpected Error into an opaque 500 that quotes only the request id', () => {
    const err = new Error(SECRET);
    const { status, body } = toErrorResponse(err, 'req-42');
    expect(status).toBe(500);
    expect(body.error.code).toBe('InternalError');
    expect(body.error.message).toContain('req-42');
    const text = JSON.stringify(body);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(err.stack?.split('\n')[1]?.trim() ?? 'unreachable');
    expect(body.error.details).toBeUndefined();
  });

  it('treats thrown non-errors and unknown 5xx statuses as opaque 500s', () => {
    for (const thrown of ['a string', 42, null, undefined, { statusCode: 503, message: SECRET }, Object.assign(new Error(SECRET), { statusCode: 502 })]) {
      const { status, body } = toErrorResponse(thrown, 'req-7');
      expect(status).toBe(500);
      expect(body.error.code).toBe('InternalError');
      expect(JSON.stringify(body)).not.toContain('hunter2');
    }
  });

  it('maps Fastify body and URL errors to their stable codes', () => {
    const cases: Array<[string, number, string]> = [
      ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 'MalformedJson'],
      ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 'MalformedJson'],
      ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'PayloadTooLarge'],
      ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'UnsupportedMediaType'],
      ['FST_ERR_BAD_URL', 400, 'ValidationFailed'],
      ['FST_ERR_MAX_PARAM_LENGTH', 400, 'ValidationFailed'],
    ];
    for (const [code, status, errorCode] of cases) {
      const res = toErrorResponse(Object.assign(new Error(SECRET), { code, statusCode: status }), 'req-9');
      expect([code, res.status, res.body.error.code]).toEqual([code, status, errorCode]);
      expect(res.body.error.message).not.toContain('hunter2');
    }
  });

  it('finds a NUL character in a value nested far deeper than any stack, without recursion', () => {
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 100_000; i++) deep = { k: deep };
    expect(nulPath(deep)).toHaveLength(100_000);
    expect(nulPath({ a: 'ok', b: ['x', { 'c\u0000': 1 }], d: 'z\u0000' })).toEqual(['b', '1', 'c\u0000']);
  });

  it('answers an unknown Fastify 4xx as a generic 400 without echoing its message', () => {
    const { status, body } = toErrorResponse(Object.assign(new Error(SECRET), { code: 'FST_ERR_SOMETHING_NEW', statusCode: 418 }), 'req-3');
    expect(status).toBe(400);
    expect(body.error.code).toBe('ValidationFailed');
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });
});

describe.each(dialects)('an unexpected exception in a handler [%s]', (dialect) => {
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;
  const logged: string[] = [];

  beforeAll(async () => {
    const db = await freshDatabase(dialect);
    const config = loadConfig({ LOG_LEVEL: 'error', NODE_ENV: 'test', DATABASE_URL: db.url });
    const log = pino({ level: 'error' }, { write: (line: string) => void logged.push(line) });
    const ctx = await createContext(config, { log });
    app = await buildApp(ctx);
    // Registered before ready(), outside /api: the one error handler still answers for it.
    app.get('/test/boom', async () => {
      throw new Error(SECRET);
    });
    app.get('/test/boom-string', async () => {
      throw SECRET;
    });
    app.get('/test/boom-null', async () => {
      throw null;
    });
    app.get('/test/boom-sync', () => {
      throw new TypeError(SECRET);
    });
    await app.ready();
    cleanup = async () => {
      await app.close();
      await closeContext(ctx);
      await db.drop();
    };
  });
  afterAll(() => cleanup());

  it('answers 500 InternalError without the message or a stack trace, and logs them under the request id', async () => {
    for (const url of ['/test/boom', '/test/boom-string', '/test/boom-sync']) {
      const res = await app.inject({ method: 'GET', url });
      const body = expectErrorShape(res, 500, 'InternalError');
      const requestId = String(res.headers['x-request-id']);
      expect(body.error.message).toContain(requestId);
      expect(res.body).not.toContain('hunter2');
      expect(res.body).not.toMatch(/\bat .*:\d+:\d+/);
      expect(res.body).not.toContain('secret.ts');
      expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
      const entry = logged.find((l) => l.includes(requestId));
      expect(entry).toBeDefined();
      expect(entry).toContain('hunter2');
    }
  });

  it('answers 500 InternalError when a handler throws null', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/boom-null' });
    expectErrorShape(res, 500, 'InternalError');
  });
});

describe.each(dialects)('HTTP errors [%s]', (dialect) => {
  let t: TestApp;
  let s: Session;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    s = await signupAndLogin(t.app, 'Error Probe');
  });
  afterAll(() => t.close());

  it('answers an unknown route with 404 RouteNotFound in the error shape and a request id', async () => {
    for (const [method, url] of [
      ['GET', '/api/no-such-thing'],
      ['POST', '/api/no-such-thing'],
      ['DELETE', '/api/me'],
      ['PUT', '/api/me/profile'],
      ['GET', '/api/members/0190a000-0000-7000-8000-000000000000/nope'],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: s.headers });
      const body = expectErrorShape(res, 404, 'RouteNotFound');
      expect(body.error.message).toContain(url.split('?')[0]);
    }
  });

  it('does not echo the query string of an unknown route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/no-such-thing?token=secret-value' });
    expectErrorShape(res, 404, 'RouteNotFound');
    expect(res.body).not.toContain('secret-value');
  });

  it('gives every response, success or failure, its own x-request-id', async () => {
    const responses = [];
    for (let i = 0; i < 10; i++) {
      responses.push(await t.app.inject({ method: 'GET', url: '/api/health' }));
      responses.push(await t.app.inject({ method: 'GET', url: '/api/me', headers: s.headers }));
      responses.push(await t.app.inject({ method: 'GET', url: '/api/me' }));
      responses.push(await t.app.inject({ method: 'GET', url: '/api/nowhere' }));
      responses.push(await t.app.inject({ method: 'GET', url: '/api/members/%E0%A4%A', headers: s.headers }));
    }
    const ids = responses.map((r) => r.headers['x-request-id']);
    expect(ids.every((id) => typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(responses.length);
    expect(new Set(responses.map((r) => r.statusCode))).toEqual(new Set([200, 401, 404, 400]));
  });

  it('answers a malformed cursor with 400 InvalidCursor', async () => {
    const b64 = (v: string) => Buffer.from(v).toString('base64url');
    for (const cursor of ['garbage', b64('not json'), b64('{"key":"a","id":"b"}'), b64('["only-one"]'), b64('[1,2]'), b64('["a","b","c"]')]) {
      for (const list of ['/api/members', '/api/tokens']) {
        const res = await t.app.inject({ method: 'GET', url: `${list}?cursor=${encodeURIComponent(cursor)}`, headers: s.headers });
        expectErrorShape(res, 400, 'InvalidCursor');
      }
    }
  });

  it('answers a cursor whose key holds a NUL character with 400 InvalidCursor, not a database error', async () => {
    const cursor = Buffer.from(JSON.stringify(['a\u0000b', '0190a000-0000-7000-8000-000000000000'])).toString('base64url');
    const res = await t.app.inject({ method: 'GET', url: `/api/members?cursor=${cursor}`, headers: s.headers });
    expectErrorShape(res, 400, 'InvalidCursor');
  });

  it('lists every validation issue with where, path and message', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/me/profile',
      headers: s.headers,
      payload: { headline: 7, skills: 'x', positions: [{ title: 'T', company: 'C', startYear: 2020, endYear: 2019 }] },
    });
    const body = expectErrorShape(res, 400, 'ValidationFailed');
    expect(body.error.details).toEqual({
      issues: expect.arrayContaining([
        expect.objectContaining({ in: 'body', path: 'headline', message: expect.any(String) }),
        expect.objectContaining({ in: 'body', path: 'skills' }),
      ]),
    });
  });

  it('refuses a URL that is not valid percent-encoding in the error shape, with a request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/members/%E0%A4%A', headers: s.headers });
    expectErrorShape(res, 400, 'ValidationFailed');
  });

  it('refuses an over-long path parameter in the error shape, with a request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/members/${'a'.repeat(500)}`, headers: s.headers });
    expectErrorShape(res, 400, 'ValidationFailed');
  });

  it('refuses a text/plain body with 415 UnsupportedMediaType, even on a route that takes no body', async () => {
    const patch = await t.app.inject({ method: 'PATCH', url: '/api/me/profile', headers: { ...s.headers, 'content-type': 'text/plain' }, payload: '{}' });
    expectErrorShape(patch, 415, 'UnsupportedMediaType');
    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { ...s.headers, 'content-type': 'text/plain' }, payload: 'bye' });
    expectErrorShape(logout, 415, 'UnsupportedMediaType');
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: s.headers });
    expect(me.statusCode).toBe(200);
  });

  it('refuses a NUL character in any body, query or path string with 400 naming the field', async () => {
    const inBody = await t.app.inject({ method: 'PATCH', url: '/api/me/profile', headers: s.headers, payload: { positions: [{ title: 'a\u0000', company: 'C', startYear: 2020, endYear: null }] } });
    expect(expectErrorShape(inBody, 400, 'ValidationFailed').error.details).toEqual({
      issues: [expect.objectContaining({ in: 'body', path: 'positions.0.title' })],
    });
    const inQuery = await t.app.inject({ method: 'GET', url: '/api/members?q=a%00b', headers: s.headers });
    expect(expectErrorShape(inQuery, 400, 'ValidationFailed').error.details).toEqual({ issues: [expect.objectContaining({ in: 'querystring', path: 'q' })] });
    const inPath = await t.app.inject({ method: 'GET', url: '/api/members/%00', headers: s.headers });
    expectErrorShape(inPath, 400, 'ValidationFailed');
    const profile = await t.app.inject({ method: 'GET', url: '/api/me/profile', headers: s.headers });
    expect(profile.json().positions).toEqual([]);
  });

  it('refuses a body nested deeper than the limit with 400 JsonTooDeep before any walk, even to an anonymous login', async () => {
    const json = { 'content-type': 'application/json' };
    for (const payload of ['['.repeat(5000) + ']'.repeat(5000), '{"a":'.repeat(6000) + '1' + '}'.repeat(6000)]) {
      const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: json, payload });
      expect(expectErrorShape(login, 400, 'JsonTooDeep').error.details).toEqual({ maxDepth: MAX_JSON_DEPTH });
      const signup = await t.app.inject({ method: 'POST', url: '/api/auth/signup', headers: json, payload });
      expectErrorShape(signup, 400, 'JsonTooDeep');
    }
    // At the limit the body is parsed and judged by the route's schema as usual; brackets inside strings do not count.
    const atLimit = '{"email":"[[[[{{{{","password":' + '['.repeat(MAX_JSON_DEPTH - 1) + ']'.repeat(MAX_JSON_DEPTH - 1) + '}';
    const judged = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: json, payload: atLimit });
    expectErrorShape(judged, 400, 'ValidationFailed');
  });

  it('answers 413 PayloadTooLarge for a body over BODY_LIMIT_BYTES', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/me/profile',
      headers: { ...s.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ about: 'x'.repeat(t.config.BODY_LIMIT_BYTES) }),
    });
    expectErrorShape(res, 413, 'PayloadTooLarge');
  });
});

describe.each(dialects)('when the database is gone [%s]', (dialect) => {
  let t: TestApp;
  let s: Session;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    s = await signupAndLogin(t.app, 'Outage Probe');
    await t.ctx.database.close();
  });
  afterAll(() => t.close());

  it('answers the health check with 503 ServiceUnavailable in the error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expectErrorShape(res, 503, 'ServiceUnavailable');
  });

  it('answers other requests with an opaque 500 that names the request id and no driver internals', async () => {
    for (const url of ['/api/me', '/api/members', '/api/me/profile']) {
      const res = await t.app.inject({ method: 'GET', url, headers: s.headers });
      const body = expectErrorShape(res, 500, 'InternalError');
      expect(body.error.message).toContain(String(res.headers['x-request-id']));
      expect(res.body).not.toMatch(/pool|connection|sqlite|postgres|kysely|\bat .*:\d+/i);
    }
  });
});
