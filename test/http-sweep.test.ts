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
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, errorCodes, type ErrorCode } from '../src/contracts/errors.js';
import { createTestApp, dialects, signupAndLogin, uniqueEmail, type Session, type TestApp } from './_util.js';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: JsonSchema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: Array<Record<string, string[]>>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface Op {
  method: Method;
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  body: JsonSchema | undefined;
  secured: boolean;
}

type Expectation = { kind: 'reject'; code?: ErrorCode; issuePath?: string } | { kind: 'any' };
type Mode = 'cookie' | 'bearer' | 'anonymous';

interface Probe {
  label: string;
  method: Method;
  url: string;
  headers?: Record<string, string>;
  payload?: string;
  expect: Expectation;
  /** Sent with the session cookie but without the x-csrf-token header. */
  withoutCsrf?: boolean;
  /** Refused by the router before any route (and so before authentication) runs. */
  beforeRouting?: boolean;
  /** Replace the caller's credentials with these. */
  credentials?: Record<string, string>;
}

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';
const HTTP_METHODS: Record<string, Method> = { get: 'GET', put: 'PUT', post: 'POST', delete: 'DELETE', patch: 'PATCH' };
const BODY_METHODS = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_CT = { 'content-type': 'application/json' };

// --- reading the document -------------------------------------------------------------------

function resolver(doc: Doc) {
  const deref = (s: JsonSchema | undefined): JsonSchema => {
    if (!s) return {};
    if (s.$ref) {
      const name = s.$ref.replace('#/components/schemas/', '');
      return deref(doc.components?.schemas?.[name]);
    }
    return s;
  };
  return deref;
}

function operations(doc: Doc): Op[] {
  const deref = resolver(doc);
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([key, op]) => {
        const method = HTTP_METHODS[key];
        if (!method) return [];
        const params = op.parameters ?? [];
        const body = op.requestBody?.content?.['application/json']?.schema;
        return {
          method,
          path,
          pathParams: params.filter((p) => p.in === 'path'),
          queryParams: params.filter((p) => p.in === 'query'),
          body: body ? deref(body) : undefined,
          secured: (op.security ?? []).length > 0,
        };
      }),
  );
}

// --- values from schemas --------------------------------------------------------------------

/** The schema without its `null` alternative, and whether null was allowed. */
function nonNull(s: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    const rest = branches.filter((b) => b.type !== 'null');
    return { schema: rest[0] ?? {}, nullable: rest.length < branches.length };
  }
  if (Array.isArray(s.type)) {
    const rest = s.type.filter((t) => t !== 'null');
    return { schema: { ...s, type: rest[0] }, nullable: rest.length < s.type.length };
  }
  return { schema: s, nullable: false };
}

function makeSample(deref: (s: JsonSchema | undefined) => JsonSchema) {
  const sample = (raw: JsonSchema | undefined, name = ''): unknown => {
    const s = nonNull(deref(raw)).schema;
    if (s.const !== undefined) return s.const;
    if (s.enum) return s.enum[0];
    switch (s.type) {
      case 'string': {
        if (s.format === 'uuid') return randomUUID();
        if (s.format === 'email' || /email/i.test(name)) return uniqueEmail('sweep');
        if (/timezone/i.test(name)) return 'Europe/Paris';
        const length = Math.min(Math.max(s.minLength ?? 0, 12), s.maxLength ?? Infinity);
        return 'Sweepvalue'.padEnd(length, 'x').slice(0, length);
      }
      case 'integer':
      case 'number':
        return s.minimum ?? Math.min(1, s.maximum ?? 1);
      case 'boolean':
        return true;
      case 'array':
        return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items, name));
      case 'object':
        return Object.fromEntries((s.required ?? []).map((key) => [key, sample(s.properties?.[key], key)]));
      default:
        return 'sweep';
    }
  };
  return sample;
}

/** Values that the schema must refuse, each with a label. */
function makeWrongValues(deref: (s: JsonSchema | undefined) => JsonSchema, sample: (s: JsonSchema | undefined, name?: string) => unknown) {
  const wrong = (raw: JsonSchema | undefined, name: string): Array<[string, unknown]> => {
    const { schema: s, nullable } = nonNull(deref(raw));
    const out: Array<[string, unknown]> = [];
    if (!nullable) out.push(['null', null]);
    if (s.enum || s.const !== undefined) out.push(['a value outside the enum', 'sweep-not-a-choice']);
    switch (s.type) {
      case 'string':
        out.push(['a number', 42], ['a boolean', true], ['an object', {}], ['an array', ['x']]);
        if (s.maxLength !== undefined) out.push([`${s.maxLength + 1} characters`, 'x'.repeat(s.maxLength + 1)]);
        if ((s.minLength ?? 0) > 0) out.push(['an empty string', '']);
        if (s.format === 'uuid') out.push(['a non-UUID', 'not-a-uuid']);
        break;
      case 'integer':
      case 'number':
        out.push(['a numeric string', '7'], ['a boolean', true], ['an object', {}], ['an array', [1]]);
        if (s.type === 'integer') out.push(['a fraction', 1.5]);
        if (s.minimum !== undefined) out.push(['below the minimum', s.minimum - 1]);
        if (s.maximum !== undefined) out.push(['above the maximum', s.maximum + 1]);
        break;
      case 'boolean':
        out.push(['a string', 'true'], ['a number', 1]);
        break;
      case 'array': {
        out.push(['a string', 'x'], ['a number', 7], ['an object', {}]);
        const item = wrong(s.items, name).find(([label]) => label !== 'null');
        if (item) out.push([`an item that is ${item[0]}`, [item[1]]]);
        if (s.maxItems !== undefined) out.push([`${s.maxItems + 1} items`, Array.from({ length: s.maxItems + 1 }, () => sample(s.items, name))]);
        break;
      }
      case 'object': {
        out.push(['a string', 'x'], ['a number', 7], ['an array', []]);
        const valid = sample(s, name);
        if (s.additionalProperties === false && valid && typeof valid === 'object') out.push(['an unknown field', { ...valid, sweepUnknown: 1 }]);
        if ((s.required ?? []).length > 0) out.push(['an empty object', {}]);
        break;
      }
    }
    return out;
  };
  return wrong;
}

/** Every string field, by dotted path, within a sample value (to put a NUL character in). */
function stringPaths(deref: (s: JsonSchema | undefined) => JsonSchema, raw: JsonSchema | undefined): string[] {
  const s = nonNull(deref(raw)).schema;
  if (s.type === 'string' && !s.enum && s.format !== 'uuid') return [''];
  if (s.type === 'object') {
    return Object.entries(s.properties ?? {}).flatMap(([key, prop]) => stringPaths(deref, prop).map((p) => (p ? `${key}.${p}` : key)));
  }
  if (s.type === 'array') return stringPaths(deref, s.items).map((p) => (p ? `0.${p}` : '0'));
  return [];
}

// --- probes -----------------------------------------------------------------------------------

function fillPath(path: string, values: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => values[name] ?? randomUUID());
}

function probesFor(doc: Doc, op: Op, bodyLimit: number): Probe[] {
  const deref = resolver(doc);
  const sample = makeSample(deref);
  const wrongValues = makeWrongValues(deref, sample);
  const url = fillPath(op.path);
  const requiredQuery = op.queryParams.filter((p) => p.required).map((p) => `${p.name}=${encodeURIComponent(String(sample(p.schema, p.name)))}`);
  const withQuery = (u: string, extra: string[]) => {
    const q = [...requiredQuery, ...extra];
    return q.length ? `${u}?${q.join('&')}` : u;
  };
  const baseUrl = withQuery(url, []);
  const validBody = op.body ? sample(op.body) : undefined;
  const base = { method: op.method, url: baseUrl };
  const json = (value: unknown) => JSON.stringify(value);
  const probes: Probe[] = [];
  const add = (label: string, p: Omit<Probe, 'label' | 'method' | 'url'> & { url?: string }) => probes.push({ ...base, ...p, label });
  const refused = (code?: ErrorCode, issuePath?: string): Expectation => ({ kind: 'reject', code, issuePath });
  const accepted: Expectation = { kind: 'any' };

  // Path parameters that are not UUIDs (or not even valid URLs).
  for (const param of op.pathParams) {
    const bad: Array<[string, string, boolean]> = [
      ['a word', 'not-a-uuid', false],
      ['a number', '12345', false],
      ['a UUID with non-hex digits', 'zzzzzzzz-zzzz-4zzz-8zzz-zzzzzzzzzzzz', false],
      ['a NUL character', '%00', false],
      ['SQL', "1'%20OR%20'1'%3D'1", false],
      ['an encoded path traversal', '..%2F..%2Fetc%2Fpasswd', false],
      ['broken percent-encoding', '%E0%A4%A', true],
      ['a 300-character value', 'a'.repeat(300), true],
    ];
    for (const [label, value, beforeRouting] of bad) {
      const body = BODY_METHODS.has(op.method) && validBody !== undefined ? { headers: JSON_CT, payload: json(validBody) } : {};
      add(`path param ${param.name} as ${label}`, {
        url: withQuery(fillPath(op.path, { [param.name]: value }), []),
        ...body,
        expect: refused('ValidationFailed'),
        beforeRouting,
      });
    }
  }

  // Query parameters: unknown, wrong-typed, repeated, NUL, and garbage cursors.
  add('an unknown query parameter', { url: withQuery(url, ['sweepUnknown=1']), expect: op.queryParams.length ? refused('ValidationFailed') : accepted });
  for (const param of op.queryParams) {
    const s = nonNull(deref(param.schema)).schema;
    const values: Array<[string, string]> = [['repeated', `${param.name}=1&${param.name}=2`]];
    if (s.type === 'integer' || s.type === 'number') {
      values.push(['a word', 'abc'], ['infinity', '1e999'], ['empty', '']);
      if (s.type === 'integer') values.push(['a fraction', '1.5']);
      if (s.minimum !== undefined) values.push(['below the minimum', String(s.minimum - 1)]);
      if (s.maximum !== undefined) values.push(['above the maximum', String(s.maximum + 1)]);
    }
    if (s.type === 'string') {
      values.push(['a NUL character', 'a%00b']);
      if (s.maxLength !== undefined) values.push([`${s.maxLength + 1} characters`, 'x'.repeat(s.maxLength + 1)]);
    }
    if (s.enum) values.push(['a value outside the enum', 'sweep-not-a-choice']);
    for (const [label, value] of values) {
      const pair = value.includes('=') ? value : `${param.name}=${value}`;
      add(`query ${param.name} as ${label}`, { url: withQuery(url, [pair]), expect: refused('ValidationFailed', param.name) });
    }
    if (param.name === 'cursor') {
      // A route under a resource id answers for the (random, absent) resource before it reads the cursor.
      const cursorExpect = op.pathParams.length === 0 ? refused('InvalidCursor') : refused();
      const b64 = (v: string) => Buffer.from(v).toString('base64url');
      for (const [label, value] of [
        ['not base64 JSON', 'not-a-cursor'],
        ['a JSON object', b64('{"key":"a"}')],
        ['numbers', b64('[1,2]')],
        ['one element', b64('["a"]')],
        ['three elements', b64('["a","b","c"]')],
      ]) {
        add(`query cursor as ${label}`, { url: withQuery(url, [`cursor=${value}`]), expect: cursorExpect });
      }
    }
  }

  if (BODY_METHODS.has(op.method)) {
    const hasBody = op.body !== undefined;
    const payload = json(validBody ?? {});
    for (const [label, text] of [
      ['an unterminated object', '{'],
      ['a trailing comma', '{"a":1,}'],
      ['single quotes', "{'a':1}"],
      ['two documents', '{}{}'],
      ['a bare word', 'undefined'],
    ]) {
      add(`malformed JSON (${label})`, { headers: JSON_CT, payload: text, expect: refused('MalformedJson') });
    }
    add('an empty body declared as JSON', { headers: JSON_CT, payload: '', expect: refused('MalformedJson') });
    add(`a body over ${bodyLimit} bytes`, { headers: JSON_CT, payload: json({ sweep: 'x'.repeat(bodyLimit) }), expect: refused('PayloadTooLarge') });
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      add(`content-type ${type}`, { headers: { 'content-type': type }, payload, expect: refused('UnsupportedMediaType') });
    }
    for (const [label, text] of [
      ['an array', '[]'],
      ['a string', '"sweep"'],
      ['a number', '42'],
      ['null', 'null'],
      ['a boolean', 'true'],
    ]) {
      add(`a JSON body that is ${label}`, { headers: JSON_CT, payload: text, expect: hasBody ? refused('ValidationFailed') : accepted });
    }
    const unknownExpect = op.body?.additionalProperties === false ? refused('ValidationFailed') : accepted;
    add('an unknown top-level field', { headers: JSON_CT, payload: json({ ...(validBody ?? {}), sweepUnknown: true }), expect: hasBody ? unknownExpect : accepted });

    if (op.body && isRecord(validBody)) {
      for (const key of op.body.required ?? []) {
        const { [key]: _dropped, ...rest } = isRecord(validBody) ? validBody : {};
        add(`body without required ${key}`, { headers: JSON_CT, payload: json(rest), expect: refused('ValidationFailed', key) });
      }
      for (const [key, prop] of Object.entries(op.body.properties ?? {})) {
        for (const [label, value] of wrongValues(prop, key)) {
          add(`body ${key} as ${label}`, { headers: JSON_CT, payload: json({ ...validBody, [key]: value }), expect: refused('ValidationFailed', key) });
        }
      }
      for (const path of stringPaths(deref, op.body)) {
        const [key = '', ...rest] = path.split('.');
        const value = nulAt(deref, sample, op.body.properties?.[key], rest);
        add(`body ${path} with a NUL character`, { headers: JSON_CT, payload: json({ ...validBody, [key]: value }), expect: refused('ValidationFailed', path) });
      }
    }
  }

  // Last: a request that looks valid (it may succeed, which can end the session).
  add('a valid-looking request', BODY_METHODS.has(op.method) && op.body ? { headers: JSON_CT, payload: json(validBody), expect: accepted } : { expect: accepted });
  return probes;
}

/** A valid-looking value of the schema whose string at `path` (array index "0") holds a NUL character. */
function nulAt(
  deref: (s: JsonSchema | undefined) => JsonSchema,
  sample: (s: JsonSchema | undefined, name?: string) => unknown,
  raw: JsonSchema | undefined,
  path: string[],
): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return 'a\u0000b';
  const s = nonNull(deref(raw)).schema;
  if (s.type === 'array') return [nulAt(deref, sample, s.items, rest)];
  const props = s.properties ?? {};
  return { ...Object.fromEntries(Object.entries(props).map(([k, p]) => [k, sample(p, k)])), [head]: nulAt(deref, sample, props[head], rest) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

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

/** In anonymous mode a secured route refuses everything (but what the router refuses first) as 401. */
function forMode(probes: Probe[], op: Op, mode: Mode): Probe[] {
  if (mode === 'cookie') {
    if (op.secured && BODY_METHODS.has(op.method)) {
      const last = probes[probes.length - 1];
      if (last) {
        probes.splice(probes.length - 1, 0, { ...last, label: 'the session cookie without x-csrf-token', withoutCsrf: true, expect: { kind: 'reject', code: 'CsrfRejected' } });
        probes.splice(probes.length - 1, 0, { ...last, label: 'the session cookie with a forged x-csrf-token', headers: { ...last.headers, 'x-csrf-token': 'forged' }, expect: { kind: 'reject', code: 'CsrfRejected' } });
      }
    }
    return probes;
  }
  if (mode === 'bearer' || !op.secured) return probes;
  const last = probes[probes.length - 1];
  const extra: Probe[] = last
    ? [
        { ...last, label: 'an unknown session cookie', credentials: { cookie: 'rapport_session=sweep-unknown' } },
        { ...last, label: 'an unknown bearer token', credentials: { authorization: 'Bearer rpt_sweepunknown' } },
        { ...last, label: 'a malformed Authorization header', credentials: { authorization: 'Basic c3dlZXA6c3dlZXA=' } },
      ]
    : [];
  return [...probes, ...extra].map((p) => (p.beforeRouting ? p : { ...p, expect: { kind: 'reject', code: 'Unauthenticated' } }));
}

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
