/**
 * The probes of the HTTP sweep (test/http-sweep.test.ts) for one documented operation.
 *
 * Each probe either must be refused (`reject`, optionally with a given code and issue path) or
 * may be accepted (`any`: the route has no schema that would refuse it) but still must not fail.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '../src/contracts/errors.js';
import { BODY_METHODS, isRecord, makeSample, makeWrongValues, nonNull, resolver, stringPaths, type Doc, type JsonSchema, type Method, type Op } from './_sweep-schema.js';

export type Expectation = { kind: 'reject'; code?: ErrorCode; issuePath?: string } | { kind: 'any' };
export type Mode = 'cookie' | 'bearer' | 'anonymous';

export interface Probe {
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

const JSON_CT = { 'content-type': 'application/json' };

// --- probes -----------------------------------------------------------------------------------

function fillPath(path: string, values: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => values[name] ?? randomUUID());
}

export function probesFor(doc: Doc, op: Op, bodyLimit: number): Probe[] {
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
    // 10 KB and 36 KB: under the body limit, and deep enough to overflow any recursive walk.
    add('arrays nested 5,000 deep', { headers: JSON_CT, payload: '['.repeat(5000) + ']'.repeat(5000), expect: refused('JsonTooDeep') });
    add('objects nested 6,000 deep', { headers: JSON_CT, payload: '{"a":'.repeat(6000) + '1' + '}'.repeat(6000), expect: refused('JsonTooDeep') });
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

/** In anonymous mode a secured route refuses everything (but what the router refuses first) as 401. */
export function forMode(probes: Probe[], op: Op, mode: Mode): Probe[] {
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

