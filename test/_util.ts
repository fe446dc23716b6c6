/**
 * Test harness: a fresh, migrated database per call, on every dialect under test.
 * SQLite always runs. PostgreSQL runs when RAPPORT_TEST_PG_URL is set (CI sets it and fails if the
 * PostgreSQL tests did not run); each call gets its own throwaway database on that server.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/server/app.js';
import { ManualClock } from '../src/server/clock.js';
import { loadConfig, type Config } from '../src/server/config.js';
import { closeContext, createContext, type AppContext } from '../src/server/context.js';
import type { Dialect } from '../src/server/db/database.js';

export const PG_URL = process.env.RAPPORT_TEST_PG_URL;
export const dialects: Dialect[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDb {
  url: string;
  drop(): Promise<void>;
}

export async function freshDatabase(dialect: Dialect): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rapport-test-'));
    return { url: `sqlite:${join(dir, 'rapport.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!PG_URL) throw new Error('RAPPORT_TEST_PG_URL is not set');
  const name = `rapport_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  clock: ManualClock;
  config: Config;
  close(): Promise<void>;
}

export async function createTestApp(dialect: Dialect, env: Record<string, string> = {}): Promise<TestApp> {
  const db = await freshDatabase(dialect);
  // Per-IP auth limits are for the open internet, and test members are strangers to each other (the
  // beyond-network restriction, docs/safety.md) and brand new accounts (the newcomer limit); tests
  // that exercise those set their own.
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    RATE_LIMIT_AUTH_PER_IP: '100000',
    RATE_LIMIT_API_PER_MINUTE: '1000000',
    RATE_LIMIT_API_PER_IP_PER_MINUTE: '1000000',
    SAFETY_RESTRICT_BEYOND_NETWORK: '1000000',
    SAFETY_NEWCOMER_DAYS: '0',
    ...env,
  });
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  const ctx = await createContext(config, { clock });
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    clock,
    config,
    close: async () => {
      await app.close();
      await closeContext(ctx);
      await db.drop();
    },
  };
}

export interface Session {
  id: string;
  email: string;
  /** Headers that authenticate a cookie session, including the CSRF token. */
  headers: Record<string, string>;
}

let counter = 0;
export const uniqueEmail = (label = 'member') => `${label}.${process.pid}.${++counter}@example.com`;
export const PASSWORD = 'correct horse battery';

/** Sign up and log in through the HTTP API, as a browser would. */
export async function signupAndLogin(app: FastifyInstance, fullName = 'Test Member', email = uniqueEmail()): Promise<Session> {
  const signup = await app.inject({ method: 'POST', url: '/api/auth/signup', payload: { email, password: PASSWORD, fullName } });
  if (signup.statusCode !== 202) throw new Error(`signup failed: ${signup.body}`);
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  const cookie = login.cookies.find((c) => c.name === 'rapport_session');
  const body = login.json<{ id: string; csrfToken: string }>();
  if (!cookie) throw new Error('no session cookie');
  return { id: body.id, email, headers: { cookie: `rapport_session=${cookie.value}`, 'x-csrf-token': body.csrfToken } };
}
