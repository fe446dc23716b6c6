/**
 * Account settings in a real Chromium against a real server. Ava opens Settings and finds the
 * Account page; she changes her email (the link from the email confirms it) and her password (a
 * wrong current one is refused at the field), signs out her other session, downloads her data, and
 * finally deletes her account after reading what will happen. Every page is checked with axe at
 * desktop and phone sizes; any unexpected console error fails the test.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PASSWORD, uniqueEmail, type Session, type TestApp } from '../_util.js';
import { connect, launchChromium, listen, member, openTab, type Tab } from './_browser.js';
import { ensureWebBuilt } from './global-setup.js';

describe('account settings in the browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let ava: Session;
  let ben: Session;
  let tab: Tab;
  let email: string;
  let password = PASSWORD;

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp('sqlite');
    t.clock.set(new Date());
    ava = await member(t, 'Ava Okafor', 'Data engineer at Tidewater Analytics');
    ben = await member(t, 'Ben Lindqvist', 'Head of data at Northwind Logistics');
    await connect(t, ava, ben, 'Hello from the meetup');
    email = ava.email;
    base = await listen(t);
    browser = await launchChromium();
    tab = await openTab(browser, base, ava.email);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const settingsNav = () => tab.page.getByRole('navigation', { name: 'Settings' });
  const lastMailTo = async (address: string) =>
    (await t.ctx.database.db.selectFrom('emails').select('text_body').where('to_address', '=', address).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow()).text_body;

  it('opens Settings on the Account page, with every section in the side menu', async () => {
    await tab.page.goto(`${base}/settings`);
    await tab.see(tab.heading('Email address'));
    expect(tab.path()).toBe('/settings/account');
    for (const name of ['Account', 'Sessions', 'Email', 'API tokens', 'Your data', 'Delete account']) await tab.see(settingsNav().getByRole('link', { name, exact: true }));
    expect(await settingsNav().getByRole('link', { name: 'Account', exact: true }).getAttribute('aria-current')).toBe('page');
    await tab.check('settings account');
  });

  it('changes the email only after the link sent to the new address is opened', async () => {
    const newEmail = uniqueEmail('ava.new');
    await tab.page.getByLabel('New email address').fill(newEmail);
    await tab.page.getByLabel('Current password').first().fill(PASSWORD);
    await tab.page.getByRole('button', { name: 'Send confirmation link' }).click();
    await tab.see(tab.page.getByText(`Waiting for you to confirm ${newEmail}`, { exact: false }));
    await tab.check('email change waiting');
    const token = decodeURIComponent(/token=(\S+)/.exec(await lastMailTo(newEmail))?.[1] ?? '');
    await tab.page.goto(`${base}/confirm-email?token=${encodeURIComponent(token)}`);
    await tab.see(tab.heading('Email address confirmed'));
    await tab.check('email confirmed');
    await tab.page.getByRole('link', { name: 'Back to account settings' }).click();
    await tab.see(tab.page.getByText(`You sign in with ${newEmail}`, { exact: false }));
    email = newEmail;
  });

  it('refuses a wrong current password at its field, then changes the password', async () => {
    const form = tab.page.locator('form').filter({ has: tab.page.getByRole('button', { name: 'Change password' }) });
    await form.getByLabel('Current password', { exact: true }).fill('not my password');
    await form.getByLabel('New password', { exact: true }).fill('a brand new password');
    await form.getByLabel('Repeat the new password').fill('a brand new password');
    tab.expectFailedRequest(403, '/api/account/password');
    await form.getByRole('button', { name: 'Change password' }).click();
    await tab.see(form.getByText('This is not your current password.'));
    await tab.check('wrong current password');
    await form.getByLabel('Current password', { exact: true }).fill(PASSWORD);
    await form.getByRole('button', { name: 'Change password' }).click();
    await tab.see(tab.page.getByText('Password changed.', { exact: false }));
    password = 'a brand new password';
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    expect(login.statusCode).toBe(200);
  });

  it('lists this session first and signs out the other one', async () => {
    await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1' }, payload: { email, password } });
    await settingsNav().getByRole('link', { name: 'Sessions', exact: true }).click();
    await tab.see(tab.heading('Where you’re signed in'));
    const rows = tab.page.locator('.sessions > li');
    await tab.see(rows.first().getByText('This session'));
    await tab.see(tab.page.getByText('Safari on iPhone'));
    await tab.check('sessions');
    await tab.page.getByRole('button', { name: 'Sign out all other sessions' }).click();
    await tab.see(tab.page.getByText(/Signed out \d+ other sessions?\./));
    await expect.poll(() => rows.count()).toBe(1);
    const live = await t.ctx.database.db.selectFrom('sessions').select('id').where('member_id', '=', ava.id).execute();
    expect(live).toHaveLength(1);
  });

  it('downloads my data as a zip of CSV files and as JSON', async () => {
    await settingsNav().getByRole('link', { name: 'Your data', exact: true }).click();
    await tab.see(tab.heading('Download your data'));
    await tab.check('your data');
    for (const [label, ext] of [
      ['Download CSV files (.zip)', 'zip'],
      ['Download JSON', 'json'],
    ] as const) {
      const download = tab.page.waitForEvent('download');
      await tab.page.getByRole('link', { name: label }).click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(new RegExp(`^rapport-data-\\d{4}-\\d\\d-\\d\\d\\.${ext}$`));
      expect(await file.failure()).toBeNull();
    }
  });

  it('states what deletion does, needs the box and the password, then deletes and lands on the login page', async () => {
    await settingsNav().getByRole('link', { name: 'Delete account', exact: true }).click();
    await tab.see(tab.heading('Delete your account'));
    await tab.see(tab.page.getByText('Invitations you sent that are still waiting are withdrawn.', { exact: false }));
    await tab.see(tab.page.getByText('Messages you sent stay in the other person’s conversation', { exact: false }));
    await tab.check('delete account');
    await tab.page.getByLabel('Your password').fill(password);
    await tab.page.getByRole('button', { name: 'Delete my account' }).click();
    await tab.see(tab.page.getByText('Tick this box to confirm you understand.'));
    await tab.page.getByLabel('I understand', { exact: false }).check();
    await tab.page.getByRole('button', { name: 'Delete my account' }).click();
    await tab.see(tab.heading('Log in'));
    await tab.see(tab.page.getByText('Your account has been deleted.', { exact: false }));
    await tab.check('after deletion');
    expect((await t.ctx.connections.list(ben.id, undefined, 'recent', undefined, 10)).total).toBe(0);
    expect(tab.problems).toEqual([]);
  });
});
