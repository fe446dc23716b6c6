/**
 * The OpenAPI document is the API's contract: valid OpenAPI 3.1, complete (every /api route the
 * server registered is in it), and honest about failures (every operation names its error shape).
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from './_util.js';

interface MediaType {
  schema?: { $ref?: string; additionalProperties?: unknown };
}
interface Operation {
  summary?: string;
  security?: Array<Record<string, string[]>>;
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
const ERROR_REF = '#/components/schemas/Error';

/** Routes that serve the documentation itself, not the API. */
const isDocsRoute = (path: string) => path === '/api/openapi.json' || path === '/api/docs' || path.startsWith('/api/docs/');

/**
 * "METHOD /path" for every route the router holds, read from `printRoutes({ commonPrefix: false })`:
 * each tree line is a path segment appended to its parent's, with its methods in parentheses.
 * HEAD is left out: Fastify adds it to every GET by itself.
 */
function registeredRoutes(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    const path = stack.join('').replace(/:(\w+)/g, '{$1}');
    for (const method of (match[3] ?? '').split(', ').filter((m) => m !== '' && m !== 'HEAD')) routes.push(`${method} ${path}`);
  }
  return routes;
}

function documentedOperations(doc: Doc): Array<{ key: string; path: string; op: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, path, op })),
  );
}

describe.each(dialects)('OpenAPI document [%s]', (dialect) => {
  let t: TestApp;
  let doc: Doc;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json<Doc>();
  });
  afterAll(() => t.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    await expect(SwaggerParser.validate(structuredClone(t.app.swagger()))).resolves.toBeDefined();
    const served = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    await expect(SwaggerParser.validate(structuredClone(served.json()))).resolves.toBeDefined();
  });

  it('documents every route the server registered under /api, and nothing it did not register', () => {
    const registered = registeredRoutes(t.app.printRoutes({ commonPrefix: false })).filter((r) => {
      const path = r.slice(r.indexOf(' ') + 1);
      return path.startsWith('/api/') && !isDocsRoute(path);
    });
    const documented = documentedOperations(doc)
      .map((o) => o.key)
      .filter((k) => k.includes(' /api/'));
    // The parser must have found the routes we know exist, or the comparison below proves nothing.
    expect(registered).toEqual(expect.arrayContaining(['GET /api/health', 'PATCH /api/me/profile', 'GET /api/members/{id}']));
    expect([...new Set(registered)].sort()).toEqual([...new Set(documented)].sort());
  });

  it('gives every /api operation a summary and at least one 4xx response in the Error shape', () => {
    const ops = documentedOperations(doc).filter((o) => o.path.startsWith('/api/'));
    expect(ops.length).toBeGreaterThan(0);
    const missing = ops.filter(({ op }) => {
      const clientErrors = Object.entries(op.responses ?? {}).filter(([status]) => /^4\d\d$/.test(status));
      return !clientErrors.some(([, r]) => r.content?.['application/json']?.schema?.$ref === ERROR_REF);
    });
    expect(missing.map((o) => o.key)).toEqual([]);
    expect(ops.filter(({ op }) => !op.summary).map((o) => o.key)).toEqual([]);
    expect(doc.components?.schemas?.Error).toBeDefined();
  });

  it('describes every documented error response (4xx and 5xx) with the Error shape', () => {
    const wrong = documentedOperations(doc)
      .filter((o) => o.path.startsWith('/api/'))
      .flatMap(({ key, op }) =>
        Object.entries(op.responses ?? {})
          .filter(([status]) => /^[45]\d\d$/.test(status))
          .filter(([, r]) => r.content?.['application/json']?.schema?.$ref !== ERROR_REF)
          .map(([status]) => `${key} ${status}`),
      );
    expect(wrong).toEqual([]);
  });

  it('documents 401 on every operation that requires authentication', () => {
    const secured = documentedOperations(doc).filter(({ op }) => (op.security ?? []).length > 0);
    expect(secured.length).toBeGreaterThan(0);
    expect(secured.filter(({ op }) => !op.responses?.['401']).map((o) => o.key)).toEqual([]);
  });

  it('declares every JSON request body as refusing unknown fields', () => {
    const open = documentedOperations(doc)
      .filter(({ op }) => op.requestBody !== undefined)
      .filter(({ op }) => op.requestBody?.content?.['application/json']?.schema?.additionalProperties !== false)
      .map((o) => o.key);
    expect(open).toEqual([]);
  });

  it('serves interactive HTML documentation at /api/docs with a request id', async () => {
    let res = await t.app.inject({ method: 'GET', url: '/api/docs' });
    if (res.statusCode >= 300 && res.statusCode < 400 && typeof res.headers.location === 'string') {
      res = await t.app.inject({ method: 'GET', url: new URL(res.headers.location, 'http://localhost/api/docs').pathname });
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<html/i);
    expect(res.body).toMatch(/swagger/i);
    expect(res.headers['x-request-id']).toBeTruthy();
  });
});
