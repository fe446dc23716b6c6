/**
 * A generated sweep over every operation in the OpenAPI document: hostile and malformed input must
 * always answer 4xx in the one error shape, with a request id, and never 5xx. Nothing here names a
 * route, so a new route is swept the day it is documented.
 *
 * Each probe either must be refused (`reject`, optionally with a given code and issue path) or
 * may be accepted (`any`: the route has no schema that would refuse it) but still must not fail.
 * After an `any` probe the caller's credentials are checked and renewed, since one may have been
 * a successful logout.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, errorCodes } from '../src/contracts/errors.js';
import { forMode, probesFor, type Mode, type Probe } from './_sweep-probes.js';
import { isRecord, operations, type Doc, type Op } from './_sweep-schema.js';
import { createTestApp, dialects, signupAndLogin, type Session, type TestApp } from './_util.js';

// --- running ------------------------------------------------------------------------------

interface Caller {
  headers(): Record<string, string>;
  /** Make sure the credentials still work (a probe may have logged out); renew them if not. */
  renew(): Promise<void>;
}

/** The sweep calls every operation, admin ones included, so its members are administrators. */
async function admin(t: TestApp, s: Session): Promise<Session> {
  await t.ctx.database.db.updateTable('members').set({ role: 'admin' }).where('id', '=', s.id).execute();
  return s;
}

async function cookieCaller(t: TestApp): Promise<Caller> {
  const app = t.app;
  let session = await admin(t, await signupAndLogin(app, 'Sweep Cookie'));
  return {
    headers: () => session.headers,
    renew: async () => {
      const me = await app.inject({ method: 'GET', url: '/api/me', headers: session.headers });
      if (me.statusCode === 200) return;
      session = await admin(t, await signupAndLogin(app, 'Sweep Cookie'));
    },
  };
}

async function bearerCaller(t: TestApp): Promise<Caller> {
  const app = t.app;
  const newToken = async () => {
    const s = await admin(t, await signupAndLogin(app, 'Sweep Bearer'));
    const res = await app.inject({ method: 'POST', url: '/api/tokens', headers: s.headers, payload: { name: 'sweep' } });
    if (res.statusCode !== 201) throw new Error(`token creation failed: ${res.body}`);
    return { authorization: `Bearer ${res.json<{ secret: string }>().secret}` };
  };
  let headers = await newToken();
  return {
    headers: () => headers,
    renew: async () => {
      const me = await app.inject({ method: 'GET', url: '/api/me', headers });
      if (me.statusCode !== 200) headers = await newToken();
    },
  };
}

const anonymous: Caller = { headers: () => ({}), renew: async () => undefined };

interface Totals {
  requests: number;
  serverErrors: number;
  byStatus: Record<number, number>;
  failures: string[];
  requestIds: Set<string>;
}

function check(probe: Probe, op: Op, mode: Mode, res: { statusCode: number; headers: Record<string, unknown>; body: string }, totals: Totals): void {
  const where = `[${mode}] ${op.method} ${op.path} — ${probe.label}: ${res.statusCode}`;
  const fail = (why: string): void => {
    totals.failures.push(`${where}: ${why} ${res.body.slice(0, 300)}`);
  };
  totals.requests++;
  totals.byStatus[res.statusCode] = (totals.byStatus[res.statusCode] ?? 0) + 1;
  const requestId = res.headers['x-request-id'];
  if (typeof requestId !== 'string' || requestId === '') fail('no x-request-id');
  else if (totals.requestIds.has(requestId)) fail(`x-request-id ${requestId} reused`);
  else totals.requestIds.add(requestId);
  if (res.statusCode >= 500) {
    totals.serverErrors++;
    fail('5xx');
    return;
  }
  if (probe.expect.kind === 'reject' && (res.statusCode < 400 || res.statusCode >= 500)) return fail('expected a 4xx');
  if (res.statusCode < 400) return;
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return fail('error body is not JSON');
  }
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success || !isRecord(body) || Object.keys(body).join() !== 'error') return fail('not the error shape');
  const { code, details } = parsed.data.error;
  if (!errorCodes.includes(code)) return fail(`unknown code ${code}`);
  if (mode !== 'anonymous' && code === 'Unauthenticated') return fail('the caller was not authenticated: the sweep tested nothing');
  if (probe.expect.kind !== 'reject') return;
  if (probe.expect.code && code !== probe.expect.code) return fail(`expected ${probe.expect.code}, got ${code}`);
  const issuePath = probe.expect.issuePath;
  if (issuePath !== undefined && code === 'ValidationFailed') {
    const issues = details && typeof details === 'object' && 'issues' in details && Array.isArray(details.issues) ? details.issues : [];
    const named = issues.some((i: unknown) => {
      if (!i || typeof i !== 'object' || !('path' in i) || !('message' in i)) return false;
      const { path, message } = i;
      return (
        (typeof path === 'string' && (path === issuePath || path.startsWith(`${issuePath}.`))) ||
        (typeof message === 'string' && message.includes(`"${issuePath}"`))
      );
    });
    if (!named) fail(`no validation issue names ${issuePath}`);
  }
}

async function sweep(app: FastifyInstance, doc: Doc, mode: Mode, caller: Caller, bodyLimit: number): Promise<Totals> {
  const totals: Totals = { requests: 0, serverErrors: 0, byStatus: {}, failures: [], requestIds: new Set() };
  for (const op of operations(doc)) {
    for (const probe of forMode(probesFor(doc, op, bodyLimit), op, mode)) {
      const auth = probe.credentials ?? { ...caller.headers() };
      if (probe.withoutCsrf) delete auth['x-csrf-token'];
      const options: InjectOptions = {
        method: probe.method,
        url: probe.url,
        headers: { ...auth, ...probe.headers },
        ...(probe.payload !== undefined && { payload: probe.payload }),
      };
      const res = await app.inject(options);
      check(probe, op, mode, res, totals);
      if (probe.expect.kind === 'any' || res.statusCode < 400) await caller.renew();
    }
  }
  return totals;
}

describe.each(dialects)('HTTP sweep over every documented operation [%s]', (dialect) => {
  let t: TestApp;
  let doc: Doc;
  beforeAll(async () => {
    t = await createTestApp(dialect, {
      RATE_LIMIT_AUTH_PER_IP: '1000000',
      LOGIN_FAILURES_PER_ACCOUNT: '1000000',
    });
    doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<Doc>();
  });
  afterAll(() => t.close());

  const run = async (mode: Mode, caller: Caller) => {
    const totals = await sweep(t.app, doc, mode, caller, t.config.BODY_LIMIT_BYTES);
    console.log(
      `sweep [${dialect}/${mode}]: ${totals.requests} requests over ${operations(doc).length} operations, ${totals.serverErrors} 5xx; by status ${JSON.stringify(totals.byStatus)}`,
    );
    expect(totals.failures).toEqual([]);
    expect(totals.serverErrors).toBe(0);
    expect(totals.requests).toBeGreaterThan(operations(doc).length * 5);
    return totals;
  };

  it('covers a documented operation for every route method, including ones with bodies, path and query parameters', () => {
    const ops = operations(doc);
    expect(ops.some((o) => o.body)).toBe(true);
    expect(ops.some((o) => o.pathParams.length > 0)).toBe(true);
    expect(ops.some((o) => o.queryParams.length > 0)).toBe(true);
    expect(ops.some((o) => o.secured)).toBe(true);
  });

  it('refuses malformed and hostile input from a cookie session with 4xx in the error shape, never 5xx', async () => {
    await run('cookie', await cookieCaller(t));
  });

  it('refuses malformed and hostile input from a bearer token with 4xx in the error shape, never 5xx', async () => {
    await run('bearer', await bearerCaller(t));
  });

  it('answers 401 Unauthenticated to anonymous callers of every secured operation, whatever they send', async () => {
    await run('anonymous', anonymous);
  });
});
