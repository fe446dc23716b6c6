/**
 * Home and the full list of mutual connections in a real Chromium. A demo install (the demo seed on
 * an empty database) shows its demo login on the login page; filling it in lands on the demo's Home,
 * with its invitations, unread conversations and people to meet, and nothing moves while it loads.
 * Zoe and Yan share 23 connections: "and 21 other mutual connections" opens all of them, a page at
 * a time, from the keyboard. Every page is checked with axe at desktop and phone sizes.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/cli/seed.js';
import { makeMember } from '../_factories.js';
import { createTestApp, type Session, type TestApp } from '../_util.js';
import { connect, launchChromium, listen, member, openTab, watchTab, DESKTOP, type Tab } from './_browser.js';
import { ensureWebBuilt } from './global-setup.js';

declare global {
  interface Window {
    layoutShift?: number;
  }
}

describe('Home and mutual connections in the browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let zoe: Session;
  let yan: Session;

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp('sqlite');
    // The server's clock reads now, so "2 days ago" in the browser means what it says.
    t.clock.set(new Date());
    expect(await seedDemo(t.ctx, 40)).toBe(true);
    zoe = await member(t, 'Zoe Achterberg', 'Head of partnerships at Fjord Health');
    yan = await member(t, 'Yan Castellanos', 'Engineering manager at Northwind Logistics');
    for (let i = 0; i < 23; i++) {
      const mutual = await makeMember(t.ctx, `Mutual Friend ${String(i).padStart(2, '0')}`);
      await connect(t, zoe, mutual);
      await connect(t, yan, mutual);
    }
    base = await listen(t);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('offers the demo login on the login page, and lands on a Home that shows what needs attention without moving', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC' });
    // Sum every layout shift from the first paint on, as Lighthouse's CLS does.
    await context.addInitScript(() => {
      window.layoutShift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) {
          if (!entry.hadRecentInput) window.layoutShift = (window.layoutShift ?? 0) + entry.value;
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const tab: Tab = watchTab(await context.newPage(), base);
    const { page } = tab;
    await page.goto(`${base}/`);
    await tab.see(tab.heading('Log in'));
    const note = await tab.see(page.getByRole('note'));
    expect(await note.innerText()).toContain('demo@rapport.test');
    await tab.check('login-demo');
    await page.getByRole('button', { name: 'Fill in the demo login' }).click();
    expect(await page.getByLabel('Email').inputValue()).toBe('demo@rapport.test');
    await page.getByRole('button', { name: 'Log in' }).click();

    await tab.see(page.getByRole('heading', { level: 1, name: /^Welcome back, / }));
    expect(tab.path()).toBe('/');
    const glance = page.getByRole('list', { name: 'At a glance' });
    await tab.see(glance.getByText('invitations waiting'));
    expect(await glance.getByRole('link').first().innerText()).toMatch(/^6\s+invitations waiting$/);
    await tab.see(glance.getByText('unread conversations'));
    const invitations = page.getByRole('region', { name: 'Invitations' });
    expect(await invitations.locator('.home-row').count()).toBe(3);
    await tab.see(invitations.getByRole('link', { name: 'See all 6 invitations' }));
    const messages = page.getByRole('region', { name: 'Messages' });
    expect(await messages.locator('.home-row').count()).toBe(3);
    await tab.see(messages.locator('.count-badge').first());
    const pymk = page.getByRole('region', { name: 'People you may know' });
    expect(await pymk.locator('.home-card').count()).toBeGreaterThan(0);
    await tab.check('home');
    // Reload: the placeholders hold the room the lists take, so nothing shifts when they arrive.
    await page.reload();
    await tab.see(invitations.locator('.home-row:not(.home-row-placeholder)'));
    await page.waitForLoadState('networkidle');
    const shift = await page.evaluate(() => window.layoutShift ?? 0);
    expect(shift).toBeLessThan(0.02);

    await invitations.getByRole('link', { name: 'See all 6 invitations' }).click();
    await tab.see(tab.heading('Invitations'));
    expect(tab.path()).toBe('/mynetwork/invitations');
    expect(tab.problems).toEqual([]);
  });

  it('opens every mutual connection from "and 21 other mutual connections", a page at a time, from the keyboard', async () => {
    const tab = await openTab(browser, base, zoe.email);
    const { page } = tab;
    await page.goto(`${base}/in/${yan.id}`);
    await tab.see(tab.heading('Yan Castellanos'));
    const opener = await tab.see(page.locator('.mutuals').getByRole('button', { name: '21 other mutual connections' }));
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = await tab.see(page.getByRole('dialog', { name: '23 mutual connections with Yan Castellanos' }));
    const rows = dialog.locator('.person');
    await tab.see(rows.first());
    expect(await rows.count()).toBe(20);
    await tab.check('mutuals-dialog');
    await dialog.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rows.count()).toBe(23);
    const names = await rows.locator('.person-name').allInnerTexts();
    expect(new Set(names).size).toBe(23);
    // Escape closes it and gives the focus back to what opened it.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('21 other mutual connections');
    // Each one is a link to the profile.
    await opener.click();
    await dialog.getByRole('link', { name: 'Mutual Friend 00' }).click();
    await tab.see(tab.heading('Mutual Friend 00'));
    expect(tab.problems).toEqual([]);
  });
});
