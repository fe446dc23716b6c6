/**
 * The OpenAPI document as the HTTP sweep (test/http-sweep.test.ts) reads it: its operations, and
 * values generated from their schemas — valid samples, values each schema must refuse, and the
 * string fields to put a NUL character in. Nothing here names a route.
 */
import { randomUUID } from 'node:crypto';
import { uniqueEmail } from './_util.js';

export interface JsonSchema {
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
export interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: JsonSchema;
}
export interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: Array<Record<string, string[]>>;
}
export interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Op {
  method: Method;
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  body: JsonSchema | undefined;
  secured: boolean;
}

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';
const HTTP_METHODS: Record<string, Method> = { get: 'GET', put: 'PUT', post: 'POST', delete: 'DELETE', patch: 'PATCH' };
export const BODY_METHODS = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);

// --- reading the document -------------------------------------------------------------------

export function resolver(doc: Doc) {
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

export function operations(doc: Doc): Op[] {
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
export function nonNull(s: JsonSchema): { schema: JsonSchema; nullable: boolean } {
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

export function makeSample(deref: (s: JsonSchema | undefined) => JsonSchema) {
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
export function makeWrongValues(deref: (s: JsonSchema | undefined) => JsonSchema, sample: (s: JsonSchema | undefined, name?: string) => unknown) {
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
export function stringPaths(deref: (s: JsonSchema | undefined) => JsonSchema, raw: JsonSchema | undefined): string[] {
  const s = nonNull(deref(raw)).schema;
  if (s.type === 'string' && !s.enum && s.format !== 'uuid') return [''];
  if (s.type === 'object') {
    return Object.entries(s.properties ?? {}).flatMap(([key, prop]) => stringPaths(deref, prop).map((p) => (p ? `${key}.${p}` : key)));
  }
  if (s.type === 'array') return stringPaths(deref, s.items).map((p) => (p ? `0.${p}` : '0'));
  return [];
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

