/**
 * The network graph in a real Chromium against a real server. Ava is connected to Ben, Eve and Finn;
 * Cleo to the same three, so Cleo is Ava's 2nd with three mutual connections; Dan knows only Ben, and
 * Ivy knows Ben and Eve. Ava sees degree badges and mutual connections on Cleo's profile and in
 * people search, finds Dan among the people she may know ("1 mutual connection"), dismisses Ivy and
 * invites Dan from his card; Dan sees the invitation with the same badge. Message on a profile and
 * in Connections opens the thread, starting it the first time. Every page is checked with axe at
 * desktop and phone sizes; any unexpected console error fails the test.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../_util.js';
import { connect, launchChromium, listen, member, openTab, type Tab } from './_browser.js';
import { ensureWebBuilt } from './global-setup.js';

describe('degrees, mutual connections and people you may know in the browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let ava: Session;
  let ben: Session;
  let cleo: Session;
  let dan: Session;
  let a: Tab;
  let d: Tab;

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp('sqlite');
    t.clock.set(new Date());
    ava = await member(t, 'Ava Okafor', 'Data engineer at Tidewater Analytics');
    ben = await member(t, 'Ben Lindqvist', 'Head of data at Northwind Logistics');
    cleo = await member(t, 'Cleo Marchetti', 'Recruiter at Brightline Talent');
    dan = await member(t, 'Dan Okoro', 'Platform engineer at Northwind Logistics');
    const eve = await member(t, 'Eve Brandt', 'Analytics lead at Fjord Health');
    const finn = await member(t, 'Finn Walsh', 'Product manager at Tidewater Analytics');
    const ivy = await member(t, 'Ivy Chen', 'Designer at Brightline Talent');
    for (const friend of [ben, eve, finn]) {
      await connect(t, ava, friend);
      await connect(t, cleo, friend);
    }
    await connect(t, dan, ben);
    await connect(t, ivy, ben);
    await connect(t, ivy, eve);

    base = await listen(t);
    browser = await launchChromium();
    [a, d] = await Promise.all([openTab(browser, base, ava.email), openTab(browser, base, dan.email)]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const card = (tab: Tab, name: string) => tab.page.locator('.pymk-card', { hasText: name });

  it('shows Cleo as 2nd on her profile, with the best-connected mutual connections named and linked', async () => {
    const { page } = a;
    await page.goto(`${base}/in/${cleo.id}`);
    await a.see(a.heading('Cleo Marchetti'));
    await a.see(page.locator('.top-card .degree', { hasText: '2nd' }));
    // Ben has four connections, Eve three, Finn two: the two best-connected are named.
    const mutuals = await a.see(page.locator('.mutuals'));
    expect(await mutuals.locator(':scope > span:last-child').innerText()).toBe('Ben Lindqvist, Eve Brandt and 1 other mutual connection');
    expect(await mutuals.getByRole('link', { name: 'Ben Lindqvist' }).getAttribute('href')).toBe(`/in/${ben.id}`);
    await a.check('profile-mutuals');

    await mutuals.getByRole('link', { name: 'Eve Brandt' }).click();
    await a.see(a.heading('Eve Brandt'));
    await a.see(page.locator('.top-card .degree', { hasText: '1st' }));
  });

  it('lists Cleo in people search with her badge and mutual count', async () => {
    const { page } = a;
    await page.goto(`${base}/people?q=Cleo`);
    const row = page.locator('.person', { hasText: 'Cleo Marchetti' });
    await a.see(row.locator('.degree', { hasText: '2nd' }));
    await a.see(row.getByText('3 mutual connections'));
    await a.check('people-degrees');
  });

  it('suggests Dan, a friend of a friend, with “1 mutual connection”; Dismiss hides Ivy for the session', async () => {
    const { page } = a;
    await page.goto(`${base}/mynetwork/invitations`);
    await a.see(page.getByRole('heading', { name: 'People you may know' }));
    await a.see(card(a, 'Dan Okoro').getByText('1 mutual connection', { exact: true }));
    await a.see(card(a, 'Dan Okoro').locator('.degree', { hasText: '2nd' }));
    await a.see(card(a, 'Cleo Marchetti').getByText('3 mutual connections'));
    await a.see(card(a, 'Ivy Chen').getByText('2 mutual connections'));
    // Best first: the most mutual connections lead.
    expect(await page.locator('.pymk-card .person-name').allInnerTexts()).toEqual(['Cleo Marchetti', 'Ivy Chen', 'Dan Okoro']);
    await a.check('network-suggestions');

    await card(a, 'Ivy Chen').getByRole('button', { name: 'Dismiss Ivy Chen' }).click();
    await card(a, 'Ivy Chen').waitFor({ state: 'detached' });
    // Focus moves to the card that took its place.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Dan Okoro');
    await page.reload();
    await a.see(card(a, 'Dan Okoro'));
    expect(await card(a, 'Ivy Chen').count()).toBe(0);
  });

  it('invites Dan from his card through the connect dialog, which then reads Pending', async () => {
    const { page } = a;
    await card(a, 'Dan Okoro').getByRole('button', { name: 'Connect with Dan Okoro' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite Dan Okoro to connect' });
    await dialog.getByLabel('Add a note (optional)').fill('Ben says we should talk about platforms.');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await a.see(page.getByRole('status').getByText('Invitation sent to Dan Okoro.'));
    await a.see(card(a, 'Dan Okoro').getByText('Pending'));
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Pending: invitation sent to Dan Okoro');
    await a.see(page.getByRole('navigation', { name: 'Invitation folders' }).getByRole('link', { name: 'Sent 1' }));
    await a.check('network-suggestion-pending');

    await page.getByRole('navigation', { name: 'Invitation folders' }).getByRole('link', { name: 'Sent 1' }).click();
    const sent = page.locator('ul.invites > li', { hasText: 'Dan Okoro' });
    await a.see(sent.locator('.degree', { hasText: '2nd' }));
    await a.see(sent.getByText('1 mutual connection', { exact: true }));

    await d.page.goto(`${base}/mynetwork/invitations`);
    const received = d.page.locator('ul.invites > li', { hasText: 'Ava Okafor' });
    await d.see(received.getByText('Ben says we should talk about platforms.'));
    await d.see(received.locator('.degree', { hasText: '2nd' }));
    await d.see(received.getByText('1 mutual connection', { exact: true }));
    await d.check('network-received-degrees');
  });

  it('opens a thread from Message on a profile and in Connections, starting it the first time', async () => {
    const { page } = a;
    await page.goto(`${base}/in/${ben.id}`);
    await page.getByRole('button', { name: 'Message Ben Lindqvist' }).click();
    await page.waitForURL(/\/messaging\/[0-9a-f-]{36}$/);
    await a.see(a.heading('Ben Lindqvist'));
    const thread = a.path();
    await a.see(page.getByText('No messages yet'));
    await page.getByLabel('Write a message').fill('Thanks for introducing me to Dan!');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await a.see(page.getByText('Thanks for introducing me to Dan!'));
    await a.check('conversation-started');

    // The second time finds the same conversation.
    await page.goto(`${base}/mynetwork/connections`);
    const row = page.locator('ul.invites > li', { hasText: 'Ben Lindqvist' });
    await a.see(row.locator('.degree', { hasText: '1st' }));
    await a.check('connections-degrees');
    await row.getByRole('button', { name: 'Message Ben Lindqvist' }).click();
    await a.see(page.getByText('Thanks for introducing me to Dan!'));
    expect(a.path()).toBe(thread);

    await page.goBack();
    await page.locator('ul.invites > li', { hasText: 'Eve Brandt' }).getByRole('button', { name: 'Message Eve Brandt' }).click();
    await a.see(a.heading('Eve Brandt'));
    expect(a.path()).not.toBe(thread);
    for (const tab of [a, d]) expect(tab.problems).toEqual([]);
  });
});
