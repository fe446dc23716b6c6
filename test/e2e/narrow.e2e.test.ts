/**
 * A phone's width (390 px) in a real Chromium: pages with long rows (the admin Members list, an
 * inbox row after Ignore, with its three follow-up buttons) must fit the screen: nothing scrolls
 * sideways, nothing is cut off, and a sentence is not squeezed into a column one word wide (which
 * the ignored row also did on a wide screen).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PASSWORD, uniqueEmail, type Session, type TestApp } from '../_util.js';
import { DESKTOP, launchChromium, listen, member, openTab, PHONE, type Tab } from './_browser.js';
import { ensureWebBuilt } from './global-setup.js';

describe('the web app at a phone’s width', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let ben: Session;
  let adminEmail: string;

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp('sqlite');
    t.clock.set(new Date());
    ben = await member(t, 'Ben Lindqvist', 'Head of data at Northwind Logistics');
    const carl = await member(t, 'Carl Johansson', 'Logistics planner');
    const sent = await t.ctx.invitations.send(carl.id, ben.id, undefined);
    if (sent.result.outcome !== 'sent') throw new Error('expected a new invitation');
    adminEmail = uniqueEmail('administrator.with.a.long.address');
    await t.ctx.auth.createAdmin({ email: adminEmail, password: PASSWORD, fullName: 'Dana Moderator' });
    base = await listen(t);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** How wide the page is laid out, against the screen's width. */
  const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
  /** The right edge of every element matching `selector`, in CSS pixels. */
  const rightEdges = (page: Page, selector: string) => page.$$eval(selector, (els) => els.map((el) => Math.round(el.getBoundingClientRect().right)));

  async function phoneTab(email: string): Promise<Tab> {
    const tab = await openTab(browser, base, email);
    await tab.page.setViewportSize(PHONE);
    return tab;
  }

  it('fits the admin Members list, level badges included, in 390 px', async () => {
    const tab = await phoneTab(adminEmail);
    await tab.page.goto(`${base}/admin/members`);
    await tab.see(tab.page.getByRole('link', { name: 'Ben Lindqvist' }));
    await tab.see(tab.page.locator('.level-tag'));
    expect(await pageWidth(tab.page)).toBeLessThanOrEqual(PHONE.width);
    for (const right of await rightEdges(tab.page, '.level-tag')) expect(right).toBeLessThanOrEqual(PHONE.width);
    expect(tab.problems).toEqual([]);
  });

  it('fits an ignored invitation in 390 px, its sentence on lines of several words', async () => {
    const tab = await phoneTab(ben.email);
    await tab.page.goto(`${base}/mynetwork/invitations`);
    const row = tab.page.locator('ul.invites > li').first();
    await row.getByRole('button', { name: 'Ignore invitation from Carl Johansson' }).click();
    const outcome = await tab.see(row.locator('.outcome'));
    await tab.see(row.getByRole('button', { name: 'Report as spam' }));
    expect(await pageWidth(tab.page)).toBeLessThanOrEqual(PHONE.width);
    // "Invitation ignored. Carl won’t be told." takes most of the row, not a sliver beside the
    // buttons; on a wide screen too, where the buttons once took the row and left a word a line.
    const share = async () => ((await outcome.boundingBox())?.width ?? 0) / ((await row.boundingBox())?.width ?? 1);
    expect(await share()).toBeGreaterThan(0.6);
    await tab.see(row.getByText('It’s in Archived if you change your mind.'));
    await tab.page.setViewportSize(DESKTOP);
    expect(await share()).toBeGreaterThan(0.6);
    expect(tab.problems).toEqual([]);
  });
});
