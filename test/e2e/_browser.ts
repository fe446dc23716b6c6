/**
 * Shared by the browser tests: a real Chromium (never downloaded), a watch on each page that turns
 * any console error or uncaught page error into a test failure, and axe (no serious or critical
 * violations) at desktop and phone sizes; plus the usual story setup (members with a headline,
 * connections, the server on a free port, a logged-in tab per member). Screenshots are
 * `npm run screenshots`' job.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { PASSWORD, signupAndLogin, type Session, type TestApp } from '../_util.js';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

declare global {
  interface Window {
    axe?: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> };
  }
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (the test never downloads a browser).`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface Tab {
  page: Page;
  /** Console errors and page errors seen so far; a test expects this to stay empty. */
  problems: string[];
  /** Wait until the person would see it. */
  see(locator: Locator): Promise<Locator>;
  /** The page's <h1>, by its exact text. */
  heading(name: string): Locator;
  path(): string;
  axe(label: string): Promise<void>;
  /** Check what the page is now showing: no browser problems so far, axe clean at desktop and phone sizes. */
  check(label: string): Promise<void>;
  /**
   * The next failed request to `pathname` with this status is part of the story (a refused
   * re-invite, a profile that is gone): Chromium logs it as a console error, which is expected once.
   */
  expectFailedRequest(status: number, pathname: string): void;
}

export function watchTab(page: Page, base: string): Tab {
  const problems: string[] = [];
  const expected: Array<{ status: number; pathname: string }> = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location().url;
    const pathname = url ? new URL(url, base).pathname : '';
    const i = expected.findIndex((e) => msg.text().includes(`status of ${e.status}`) && e.pathname === pathname);
    if (i >= 0) {
      expected.splice(i, 1);
      return;
    }
    problems.push(`console error: ${msg.text()} (${url})`);
  });

  const see = async (locator: Locator) => {
    await locator.first().waitFor({ state: 'visible', timeout: 20_000 });
    return locator.first();
  };

  async function axe(label: string): Promise<void> {
    if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const result = await window.axe?.run(document, { resultTypes: ['violations'] });
      return (result?.violations ?? []).map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
    });
    const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(blocking, `${label}: accessibility violations\n${JSON.stringify(blocking, null, 2)}`).toEqual([]);
  }

  async function check(label: string): Promise<void> {
    expect(problems, `browser problems before "${label}"`).toEqual([]);
    await page.waitForFunction(() => !document.querySelector('.spinner'));
    await axe(`${label} (desktop)`);
    await page.setViewportSize(PHONE);
    await axe(`${label} (phone)`);
    await page.setViewportSize(DESKTOP);
  }

  return {
    page,
    problems,
    see,
    heading: (name) => page.getByRole('heading', { level: 1, name, exact: true }),
    path: () => new URL(page.url()).pathname,
    axe,
    check,
    expectFailedRequest: (status, pathname) => expected.push({ status, pathname }),
  };
}

/** A member signed up (and logged in) through the API, with a headline on their profile. */
export async function member(t: TestApp, fullName: string, headline: string): Promise<Session> {
  const s = await signupAndLogin(t.app, fullName);
  await t.app.inject({ method: 'PATCH', url: '/api/me/profile', headers: s.headers, payload: { headline } });
  return s;
}

/** `from` invites `to` (with an optional note), who accepts: the two are connected. */
export async function connect(t: TestApp, from: Session, to: Session, note?: string): Promise<void> {
  const { result } = await t.ctx.invitations.send(from.id, to.id, note);
  if (result.outcome !== 'sent') throw new Error('expected a new invitation');
  await t.ctx.invitations.accept(to.id, result.invitation.id);
}

/** Starts the app's server on a free localhost port; returns its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/** A new browser context (its own cookies) at desktop size; logged in through the login page when given an email. */
export async function openTab(browser: Browser, base: string, email?: string): Promise<Tab> {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC' });
  const tab = watchTab(await context.newPage(), base);
  if (!email) return tab;
  await tab.page.goto(`${base}/login`);
  await tab.page.getByLabel('Email').fill(email);
  await tab.page.getByLabel('Password').fill(PASSWORD);
  await tab.page.getByRole('button', { name: 'Log in' }).click();
  await tab.page.waitForURL((url) => url.pathname === '/');
  // Each page's code arrives on its own (a chunk per page): wait for the page, as a person would,
  // before typing into it; its heading takes focus when it comes.
  await tab.page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 20_000 });
  return tab;
}
