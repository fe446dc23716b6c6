/**
 * How the server sends the web app and the API: the build's files go out as the brotli or gzip
 * copies written at build time (index.html, under 1 KB, goes plain), hashed assets may be cached for good and everything else must be
 * asked again, robots.txt is a real one (not the app's HTML), and API answers over 1 KB are
 * compressed for clients that accept it (and sent plain to those that do not).
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMembers } from '../src/cli/seed.js';
import { createTestApp, dialects, signupAndLogin, type Session, type TestApp } from './_util.js';
import { ensureWebBuilt } from './e2e/global-setup.js';

const ASSETS = resolve(import.meta.dirname, '../dist/web/assets');

describe.each(dialects)('serving the web app and the API (%s)', (dialect) => {
  let t: TestApp;
  let viewer: Session;
  let script = '';

  beforeAll(async () => {
    ensureWebBuilt();
    script = readdirSync(ASSETS).find((f) => f.startsWith('index-') && f.endsWith('.js')) ?? '';
    t = await createTestApp(dialect);
    viewer = await signupAndLogin(t.app, 'Viewer Person');
    const others = await seedMembers(t.ctx, { members: 30, seed: 5 });
    for (const m of others) await t.ctx.invitations.send(m.id, viewer.id, 'We met at the Lisbon data meetup; I would love to keep in touch.');
  });

  afterAll(async () => t?.close());

  it('sends the app’s page for a page’s path, to be asked again on every visit', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/mynetwork', headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('<div id="root">');
  });

  it('sends a hashed asset gzipped to a gzip-only client, cacheable for a year and immutable', async () => {
    expect(script).not.toBe('');
    const res = await t.app.inject({ method: 'GET', url: `/assets/${script}`, headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(res.rawPayload).length).toBeGreaterThan(res.rawPayload.length * 2);
  });

  it('sends a plain file to a client that accepts no compression', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/assets/${script}` });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body).toContain('react');
  });

  it('serves a real robots.txt, not the app’s HTML', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/robots.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/^User-agent: \*$/m);
    expect(res.body).toMatch(/^Disallow: \/api\/$/m);
  });

  it('compresses an API answer over 1 KB for a client that accepts it, and not for one that does not', async () => {
    const url = '/api/invitations/received?folder=inbox&limit=20';
    const plain = await t.app.inject({ method: 'GET', url, headers: viewer.headers });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    const packed = await t.app.inject({ method: 'GET', url, headers: { ...viewer.headers, 'accept-encoding': 'br' } });
    expect(packed.headers['content-encoding']).toBe('br');
    expect(packed.rawPayload.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(brotliDecompressSync(packed.rawPayload).toString())).toEqual(plain.json());
  });
});

