/**
 * The cast of network.e2e.test.ts on a real server: Ava, Ben and Cleo, each logged in in their own
 * browser, and Ben's network before the story (invitations over the past weeks, more than one page,
 * and two connections).
 */
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { seedMembers } from '../../src/cli/seed.js';
import { createTestApp, PASSWORD, signupAndLogin, type Session, type TestApp } from '../_util.js';
import { DESKTOP, launchChromium, watchTab, type Tab } from './_browser.js';
import { ensureWebBuilt } from './global-setup.js';

const HOUR_MS = 3_600_000;
const SEEDED_NOTES = ['Great to meet you at the conference.', 'I would value your perspective on hiring.', ''];
export const SEEDED_INVITES = 22;

export interface NetworkStory {
  t: TestApp;
  base: string;
  browser: Browser;
  ava: Session;
  ben: Session;
  cleo: Session;
  a: Tab;
  b: Tab;
  c: Tab;
  close(): Promise<void>;
}

async function member(t: TestApp, fullName: string, headline: string): Promise<Session> {
  const s = await signupAndLogin(t.app, fullName);
  const patch = await t.app.inject({ method: 'PATCH', url: '/api/me/profile', headers: s.headers, payload: { headline, location: 'Lisbon, Portugal' } });
  expect(patch.statusCode).toBe(200);
  return s;
}

async function openTab(browser: Browser, base: string, who: Session): Promise<Tab> {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC' });
  const tab = watchTab(await context.newPage(), base);
  await tab.page.goto(`${base}/login`);
  await tab.see(tab.heading('Log in'));
  await tab.page.getByLabel('Email').fill(who.email);
  await tab.page.getByLabel('Password').fill(PASSWORD);
  await tab.page.getByRole('button', { name: 'Log in' }).click();
  await tab.page.waitForURL((url) => url.pathname === '/');
  return tab;
}

export async function startNetworkStory(): Promise<NetworkStory> {
  ensureWebBuilt();
  const t = await createTestApp('sqlite');
  // The server's clock reads now, so "3 days ago" in the browser means what it says.
  const now = Date.now();
  t.clock.set(new Date(now));
  const ava = await member(t, 'Ava Okafor', 'Data engineer at Tidewater Analytics');
  const ben = await member(t, 'Ben Lindqvist', 'Head of data at Northwind Logistics');
  const cleo = await member(t, 'Cleo Marchetti', 'Recruiter at Brightline Talent');

  const others = await seedMembers(t.ctx, { members: SEEDED_INVITES + 2, seed: 11 });
  for (const [i, m] of others.entries()) {
    t.clock.set(new Date(now - (i + 1) * 26 * HOUR_MS));
    const { result } = await t.ctx.invitations.send(m.id, ben.id, SEEDED_NOTES[i % SEEDED_NOTES.length] || undefined);
    if (i >= SEEDED_INVITES && result.outcome === 'sent') await t.ctx.invitations.accept(ben.id, result.invitation.id);
  }
  t.clock.set(new Date(now));

  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const base = `http://127.0.0.1:${address.port}`;
  const browser = await launchChromium();
  const [a, b, c] = await Promise.all([openTab(browser, base, ava), openTab(browser, base, ben), openTab(browser, base, cleo)]);
  return {
    t, base, browser, ava, ben, cleo, a, b, c,
    close: async () => {
      await browser.close();
      await t.close();
    },
  };
}
