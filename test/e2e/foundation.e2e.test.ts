/**
 * The web app in a real Chromium against a real server: a new member signs up, logs in, builds a
 * profile, finds another member, manages an API token, resets a forgotten password and logs out.
 * Every page is checked with axe (no serious or critical violations) at desktop and phone sizes. Any browser console error or uncaught page error fails the test.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMembers } from '../../src/cli/seed.js';
import { createTestApp, signupAndLogin, uniqueEmail, type TestApp } from '../_util.js';
import { DESKTOP, launchChromium, watchTab, type Tab } from './_browser.js';
import { ensureWebBuilt } from './global-setup.js';

const PASSWORD = 'a long enough password';
const NEW_PASSWORD = 'an even longer new password';

describe('web app foundation', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let tab: Tab;
  let other: { id: string };

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp('sqlite');
    // Enough members for a second page of people, plus one with a name to search for.
    await seedMembers(t.ctx, { members: 45, seed: 7 });
    const grace = await signupAndLogin(t.app, 'Grace Quillfeather');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/me/profile',
      headers: grace.headers,
      payload: {
        headline: 'Rear admiral of compilers',
        currentTitle: 'Director',
        currentCompany: 'Navy Computing Lab',
        location: 'Arlington, United States',
        industry: 'Software',
        skills: ['COBOL', 'Compilers'],
        positions: [{ title: 'Director', company: 'Navy Computing Lab', startYear: 1967, endYear: null }],
      },
    });
    expect(patch.statusCode).toBe(200);
    other = { id: grace.id };
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;

    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page = await context.newPage();
    tab = watchTab(page, base);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const see: Tab['see'] = (locator) => tab.see(locator);
  const heading: Tab['heading'] = (name) => tab.heading(name);
  const path = () => tab.path();
  const check = (label: string) => tab.check(label);

  it('takes a new member from sign-up to log-out', { timeout: 180_000 }, async () => {
    const email = uniqueEmail('ada');
    const nav = page.getByRole('navigation', { name: 'Main' });

    // Logged out, the home page asks to log in; from there, join.
    await page.goto(`${base}/`);
    await see(heading('Log in'));
    expect(path()).toBe('/login');
    // The first Tab reaches the skip link, which is then visible.
    await page.keyboard.press('Tab');
    await see(page.getByRole('link', { name: 'Skip to main content' }));
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.getByRole('link', { name: 'Join now' }).first().click();
    await see(heading('Join Rapport'));
    await check('signup');

    // The form says what is wrong next to each field before anything is sent.
    await page.getByRole('button', { name: 'Agree & join' }).click();
    await see(page.getByText('Check the highlighted fields.'));
    await see(page.getByText('Enter your name.'));
    await see(page.getByText('Enter an email address like name@example.com.'));
    await see(page.getByText('Use at least 10 characters.'));
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Agree & join' }).click();

    // Signing up never logs in by itself: the login page takes over, with the email filled in.
    await see(heading('Log in'));
    await see(page.getByText('your account is ready', { exact: false }));
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await check('login');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();

    // Logging in lands on Home; local mail is in the footer, not in the main navigation.
    await see(heading('Welcome back, Ada'));
    expect(path()).toBe('/');
    for (const item of ['Home', 'Profile', 'People', 'Settings']) await see(nav.getByRole('link', { name: item, exact: true }));
    await see(nav.getByRole('button', { name: 'Log out' }));
    expect(await nav.getByRole('link', { name: 'Local mail (dev)' }).count()).toBe(0);
    await see(page.getByRole('contentinfo').getByRole('link', { name: 'Local mail (dev)' }));

    // A new profile: the name, and friendly prompts where the sections are empty.
    await nav.getByRole('link', { name: 'Profile', exact: true }).click();
    await see(heading('Ada Lovelace'));
    expect(path()).toBe('/profile');
    await see(page.getByText('No experience added'));
    await check('profile-new');

    // Edit the profile and add an experience.
    await page.getByRole('link', { name: 'Edit profile' }).click();
    await see(heading('Edit profile'));
    await page.getByLabel('Headline').fill('Analyst of engines, poet of numbers');
    await page.getByLabel('Current title', { exact: true }).fill('Analyst');
    await page.getByLabel('Current company', { exact: true }).fill('Analytical Engines Ltd');
    await page.getByLabel('Industry').fill('Research');
    await page.getByLabel('Location').fill('London, United Kingdom');
    await page.getByLabel('Time zone').selectOption('Europe/London');
    await page.getByLabel('About you').fill('I write programs for machines that do not exist yet.');
    const skill = page.getByLabel('Add a skill');
    await skill.fill('Mathematics');
    await skill.press('Enter');
    await skill.fill('Programming');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await see(page.getByRole('button', { name: 'Remove Programming' }));

    await page.getByRole('button', { name: 'Add experience' }).click();
    const experience = page.locator('#experience');
    await experience.getByLabel('Title', { exact: true }).fill('Analyst');
    await experience.getByLabel('Company', { exact: true }).fill('Analytical Engines Ltd');
    await experience.getByLabel('Start year').fill('2019');
    await experience.getByLabel('End year').fill('2015');
    await page.getByRole('button', { name: 'Add education' }).click();
    const education = page.locator('#education');
    await education.getByLabel('School').fill('University of London');
    await education.getByLabel('Degree').fill('Private tutoring');
    await education.getByLabel('Field of study').fill('Mathematics');
    await education.getByLabel('Start year').fill('2008');
    await education.getByLabel('End year').fill('2012');

    // An end year before the start year is refused, next to the field, by the shared contract.
    await page.getByRole('button', { name: 'Save profile' }).click();
    await see(experience.getByText('The end year must not be before the start year.'));
    expect(await experience.getByLabel('End year').getAttribute('aria-invalid')).toBe('true');
    await experience.getByLabel('End year').fill('');
    await page.locator('#experience').scrollIntoViewIfNeeded();
    await check('profile-edit');
    await page.getByRole('button', { name: 'Save profile' }).click();

    // The profile now shows it.
    await see(heading('Ada Lovelace'));
    await see(page.getByRole('status').getByText('Profile saved.'));
    const experienceSection = page.getByRole('region', { name: 'Experience' });
    await see(experienceSection.getByRole('heading', { name: 'Analyst' }));
    await see(experienceSection.getByText('2019 – Present'));
    await see(page.getByText('Analyst at Analytical Engines Ltd'));
    await see(page.getByRole('region', { name: 'Education' }).getByText('University of London'));
    await see(page.getByRole('region', { name: 'Skills' }).getByText('Programming'));
    await check('profile');

    // People: everyone, a page at a time, then a search by name.
    await nav.getByRole('link', { name: 'People', exact: true }).click();
    await see(heading('People'));
    await see(page.getByText('Showing 20 people — there are more.'));
    await check('people');
    await page.getByRole('button', { name: 'Load more' }).click();
    await see(page.getByText('Showing 40 people — there are more.'));
    await page.getByRole('button', { name: 'Load more' }).click();
    await see(page.getByText(/^Showing 4[78] people\.$/));
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    await page.getByLabel('Search people by name').fill('nobody-by-this-name');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await see(page.getByRole('heading', { name: 'No one matches “nobody-by-this-name”' }));
    await page.getByLabel('Search people by name').fill('quillfeather');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await see(page.getByRole('heading', { name: 'Results for “quillfeather”' }));
    await see(page.getByText('Showing 1 person.'));
    await check('people-search');

    // Another member's profile.
    await page.getByRole('link', { name: 'Grace Quillfeather' }).click();
    await see(heading('Grace Quillfeather'));
    expect(path()).toBe(`/in/${other.id}`);
    await see(page.getByText('Rear admiral of compilers'));
    await see(page.getByRole('region', { name: 'Experience' }).getByText('1967 – Present'));
    expect(await page.getByRole('link', { name: 'Edit profile' }).count()).toBe(0);
    await check('member-profile');

    // Settings opens on Account; its menu leads to API tokens: create one, copy it, see that it works, revoke it.
    await nav.getByRole('link', { name: 'Settings', exact: true }).click();
    await see(heading('Email address'));
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API tokens', exact: true }).click();
    await see(heading('API tokens'));
    await see(page.getByText('No tokens yet'));
    await page.getByLabel('Token name').fill('CRM sync');
    await page.getByRole('button', { name: 'Create token' }).click();
    await see(page.getByRole('heading', { name: 'Copy your new token “CRM sync”' }));
    const secret = await page.getByLabel('Token secret').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await see(page.getByText('Copied to the clipboard.'));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    const withToken = () => fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await withToken()).status).toBe(200);
    await check('tokens-created');
    await page.getByRole('button', { name: 'Done, I have copied it' }).click();
    expect(await page.getByLabel('Token secret').count()).toBe(0);
    await see(page.getByRole('heading', { name: 'CRM sync', level: 3 }));

    await page.getByRole('button', { name: 'Revoke CRM sync' }).click();
    await see(page.getByText('Revoke “CRM sync”? Anything using it stops working at once.'));
    await check('tokens-revoke');
    await page.getByRole('button', { name: 'Revoke token' }).click();
    await see(page.getByText('Token “CRM sync” revoked.', { exact: false }));
    await see(page.getByText('No tokens yet'));
    expect((await withToken()).status).toBe(401);

    // Log out; member pages then ask to log in again.
    await nav.getByRole('button', { name: 'Log out' }).click();
    await see(heading('Log in'));
    await see(page.getByText('You have logged out.'));
    await page.goto(`${base}/people`);
    await see(heading('Log in'));
    expect(page.url()).toBe(`${base}/login?next=%2Fpeople`);

    // Forgot the password: the link arrives in the local mail viewer and leads to a new one.
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await see(heading('Forgot password'));
    await check('forgot-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await see(heading('Check your email'));
    await page.getByRole('link', { name: 'Local mail (dev)' }).first().click();
    await see(page.getByRole('heading', { name: 'Local mail viewer' }));
    const mail = await page.locator('article', { hasText: email }).filter({ hasText: 'password' }).first().innerText();
    const token = /reset-password\?token=(\S+)/.exec(mail)?.[1];
    expect(token, mail).toBeTruthy();
    await page.goto(`${base}/reset-password?token=${token}`);
    await see(heading('Choose a new password'));
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Repeat new password').fill('not the same password');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await see(page.getByText('The two passwords do not match.'));
    await page.getByLabel('Repeat new password').fill(NEW_PASSWORD);
    await check('reset-password');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await see(page.getByText('Your password has been changed.', { exact: false }));
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await see(heading('Welcome back, Ada'));

    // A page that does not exist says so, in words.
    await page.goto(`${base}/no/such/page`);
    await see(heading('We can’t find that page'));
    await check('not-found');

    await nav.getByRole('button', { name: 'Log out' }).click();
    await see(page.getByText('You have logged out.'));
    expect(tab.problems).toEqual([]);
  });
});
