/**
 * `npm run screenshots`: every page of the web app at 1280×800 and 390×844, into
 * docs/screenshots/NN-name-{desktop,phone}.png. It builds the web app when its sources changed, starts
 * the server (`rapport serve` from source, as `npm run dev` does, serving the production build of the
 * web app) on a fresh temporary SQLite database with the demo network seeded, adds a little
 * story through the public API (messages, notifications, a restricted sender with an appeal, an
 * administrator), then drives Debian's Chromium (never downloaded) through the pages as each person.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureWebBuilt } from '../test/e2e/global-setup.js';
import { CHROMIUM, CHROMIUM_ARGS, CLI, DEMO, Member, PASSWORD, ROOT, startDemoServer } from './demo-server.js';

const SHOTS = join(ROOT, 'docs/screenshots');
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const ADMIN = { email: 'admin@rapport.test', password: 'rapport-admin-2026', name: 'Morgan Reyes' };

interface Listed {
  items: Array<{ id: string; fullName: string; email: string }>;
}

async function signup(base: string, fullName: string, email: string): Promise<Member> {
  const res = await fetch(`${base}/api/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fullName, email, password: PASSWORD }) });
  if (!res.ok) throw new Error(`signup ${email}: ${res.status}`);
  return Member.login(base, email);
}

/** The story the screenshots tell, on top of the seeded demo network. */
async function tellStory(base: string) {
  const admin = await Member.login(base, ADMIN.email, ADMIN.password);
  const demo = await Member.login(base, DEMO);
  const emailOf = async (id: string, name: string) => {
    const found = await admin.call<Listed>('GET', `/admin/members?q=${encodeURIComponent(name)}`);
    const hit = found.items.find((m) => m.id === id);
    if (!hit) throw new Error(`no email for ${name}`);
    return hit.email;
  };
  const as = async (m: { id: string; fullName: string }) => Member.login(base, await emailOf(m.id, m.fullName));

  // Conversations with three connections: two wrote last (unread), one where the demo member did.
  const conns = await demo.call<{ items: Array<{ member: { id: string; fullName: string } }> }>('GET', '/connections?limit=3');
  const [first, second, third] = conns.items.map((c) => c.member);
  if (!first || !second || !third) throw new Error('the demo member needs three connections');
  const talk = async (other: { id: string; fullName: string }, lines: Array<[who: 'demo' | 'them', text: string]>) => {
    const them = await as(other);
    const conv = await demo.call<{ id: string }>('POST', '/conversations', { memberId: other.id });
    for (const [who, text] of lines) await (who === 'demo' ? demo : them).call('POST', `/conversations/${conv.id}/messages`, { body: text });
  };
  await talk(third, [['them', 'Thanks for the intro last week!'], ['demo', 'Any time. Let me know how the call goes.']]);
  await talk(second, [['demo', 'Are you going to the meetup on Thursday?'], ['them', 'Yes! I will be there from 6.'], ['them', 'Shall we grab a coffee before?']]);
  await talk(first, [['them', 'Hi! Do you have a minute to talk about the data platform role? I think you would be a great fit.']]);

  // An invitation with a note, and an acceptance: both notify the demo member.
  const priya = await signup(base, 'Priya Raman', 'priya@rapport.test');
  await priya.call('PATCH', '/me/profile', { headline: 'Product lead at Fjord Health', location: 'Oslo, Norway' });
  await priya.call('POST', '/invitations', { recipientId: demo.id, note: 'Hi! We met at the Oslo product summit. Would love to stay in touch.' });
  const sent = await demo.call<{ items: Array<{ id: string; recipient: { id: string; fullName: string } }> }>('GET', '/invitations/sent?status=pending&limit=1');
  const invited = sent.items[0];
  if (invited) await (await as(invited.recipient)).call('POST', `/invitations/${invited.id}/accept`);

  // A sender strangers don't know: four "I don't know" answers and a spam report restrict him; he appeals.
  const sam = await signup(base, 'Sam Hartley', 'sam@rapport.test');
  await sam.call('PATCH', '/me/profile', { headline: 'Growth hacker · 10x your pipeline', location: 'London, United Kingdom' });
  const strangers = await admin.call<Listed>('GET', '/admin/members?q=a&limit=40');
  const targets = strangers.items.filter((m) => !m.email.startsWith('demo@') && !m.email.startsWith('admin@') && m.id !== first.id).slice(0, 8);
  for (const [i, target] of targets.slice(0, 5).entries()) {
    const res = await sam.call<{ invitation: { id: string } }>('POST', '/invitations', { recipientId: target.id, note: 'Quick question about your pipeline.' });
    const recipient = await Member.login(base, target.email);
    await recipient.call('POST', `/invitations/${res.invitation.id}/${i === 0 ? 'spam' : 'idk'}`);
  }
  // Restricted at the next scheduled evaluation, within a minute or so.
  let health = await sam.call<{ level: string; enforcement: { id: string } | null }>('GET', '/me/health');
  for (let waited = 0; health.level !== 'restricted' && waited < 150_000; waited += 2_000) {
    await new Promise((r) => setTimeout(r, 2_000));
    health = await sam.call('GET', '/me/health');
  }
  if (health.level !== 'restricted' || !health.enforcement) throw new Error(`Sam should be restricted, is ${health.level}`);

  // A second restricted sender who has already appealed, so the queue has an appeal to decide.
  const lee = await signup(base, 'Lee Novak', 'lee@rapport.test');
  await admin.call('POST', `/admin/members/${lee.id}/restrict`, { reason: 'Invitations to many strangers in one day' });
  const leeHealth = await lee.call<{ enforcement: { id: string } | null }>('GET', '/me/health');
  if (leeHealth.enforcement) {
    await lee.call('POST', '/me/appeals', { enforcementId: leeHealth.enforcement.id, message: 'I was inviting people from a conference attendee list; I know them all.' });
  }
  // The demo member's best suggestion: a 2nd-degree member whose profile names mutual connections.
  const suggested = await demo.call<{ items: Array<{ member: { id: string } }> }>('GET', '/network/suggestions?limit=1');
  return { sam: { id: sam.id, email: 'sam@rapport.test' }, samTarget: targets[6], lee: lee.id, priya: priya.id, suggested: suggested.items[0]?.member.id };
}

/** A browser tab signed in as one person (or nobody), that photographs pages at both sizes. */
async function tab(browser: Browser, base: string, login?: { email: string; password?: string }) {
  const context = await browser.newContext({ viewport: SIZES.desktop, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  if (login) {
    await page.goto(`${base}/login`);
    await page.getByLabel('Email').fill(login.email);
    await page.getByLabel('Password').fill(login.password ?? PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
  }
  return page;
}

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('.spinner'));
}

/** Photographs the top of the page, or the part from the element matching `from` down. */
async function shoot(page: Page, name: string, from?: string): Promise<void> {
  const scroll = async () => {
    await settle(page);
    // Just below the sticky top bar.
    if (from) await page.locator(from).first().evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - (document.querySelector('.topbar')?.getBoundingClientRect().height ?? 0) - 12));
  };
  await scroll();
  await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`) });
  await page.setViewportSize(SIZES.phone);
  await scroll();
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`) });
  await page.setViewportSize(SIZES.desktop);
  process.stdout.write(`  ${name}\n`);
}

async function visit(page: Page, base: string, path: string, name: string, from?: string): Promise<void> {
  await page.goto(`${base}${path}`);
  await shoot(page, name, from);
}

async function main() {
  ensureWebBuilt();
  // The ladder moves only at the scheduled evaluation (docs/safety.md): every minute here, so the
  // restricted sender of the story is restricted within the run.
  const server = await startDemoServer(250, { SAFETY_EVALUATION_MINUTES: '1' });
  const { base, env } = server;
  let browser: Browser | undefined;
  try {
    execFileSync(process.execPath, [...CLI, 'admin', 'create', '--email', ADMIN.email, '--password', ADMIN.password, '--name', ADMIN.name], { cwd: ROOT, env, stdio: 'ignore' });
    const story = await tellStory(base);

    mkdirSync(SHOTS, { recursive: true });
    for (const f of readdirSync(SHOTS)) if (f.endsWith('.png')) rmSync(join(SHOTS, f));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

    const guest = await tab(browser, base);
    await visit(guest, base, '/login', '01-login');
    await visit(guest, base, '/signup', '02-signup');
    await visit(guest, base, '/forgot-password', '03-forgot-password');

    const demo = await tab(browser, base, { email: DEMO });
    // ---- Home, and a profile's full list of mutual connections ----
    await visit(demo, base, '/', '40-home');
    const pymk = await (await Member.login(base, DEMO)).call<{ items: Array<{ member: { id: string; mutualCount: number } }> }>('GET', '/network/suggestions?limit=20');
    const manyMutuals = pymk.items.find((s) => s.member.mutualCount >= 4);
    if (manyMutuals) {
      await demo.goto(`${base}/in/${manyMutuals.member.id}`);
      await demo.locator('.mutuals .link-button').click();
      await demo.getByRole('dialog').locator('.person').first().waitFor();
      await shoot(demo, '41-mutual-connections-list');
      await demo.keyboard.press('Escape');
    }
    // ---- end of Home ----
    await visit(demo, base, '/profile', '04-profile');
    await visit(demo, base, '/profile/edit', '05-profile-edit');
    await visit(demo, base, '/people', '06-people-search');
    await visit(demo, base, `/in/${story.priya}`, '07-member-profile');
    await visit(demo, base, '/mynetwork/invitations', '08-network-received');
    await visit(demo, base, '/mynetwork/invitations/sent', '09-network-sent');
    await visit(demo, base, '/mynetwork/invitations/archived', '10-network-archived');
    await visit(demo, base, '/mynetwork/connections', '11-connections');
    await visit(demo, base, '/messaging', '12-messaging');
    await demo.getByRole('button', { name: /^Notifications/ }).click();
    await demo.locator('.bell-panel .notification').first().waitFor();
    await demo.screenshot({ path: join(SHOTS, '13-notifications-bell-desktop.png') });
    await demo.setViewportSize(SIZES.phone);
    await demo.screenshot({ path: join(SHOTS, '13-notifications-bell-phone.png') });
    await demo.setViewportSize(SIZES.desktop);
    await demo.keyboard.press('Escape');
    await visit(demo, base, '/notifications', '14-notifications');
    await demo.goto(`${base}/messaging`);
    await demo.locator('.conversation-link').first().click();
    await shoot(demo, '15-conversation');
    await visit(demo, base, '/mynetwork/health', '16-account-health');
    await visit(demo, base, '/settings/tokens', '17-settings-tokens');
    await visit(demo, base, '/settings/email', '18-settings-email');
    await visit(demo, base, '/admin', '19-admins-only');
    await visit(demo, base, '/no-such-page', '20-not-found');

    const sam = await tab(browser, base, { email: story.sam.email });
    await visit(sam, base, '/mynetwork/health', '21-account-health-restricted');
    if (story.samTarget) {
      await sam.goto(`${base}/in/${story.samTarget.id}`);
      await sam.getByRole('button', { name: 'Connect' }).click();
      await sam.getByRole('dialog').getByText('email address', { exact: false }).first().waitFor();
      await shoot(sam, '22-connect-restricted');
    }
    const newcomer = await tab(browser, base, { email: 'priya@rapport.test' });
    await visit(newcomer, base, '/messaging', '23-messaging-empty');
    await visit(demo, base, '/mynetwork/invitations', '24-people-you-may-know', '[aria-labelledby="pymk-title"]');
    if (story.suggested) await visit(demo, base, `/in/${story.suggested}`, '25-member-profile-mutuals');

    const admin = await tab(browser, base, { email: ADMIN.email, password: ADMIN.password });
    await visit(admin, base, '/admin/queue', '30-admin-queue');
    await admin.getByRole('button', { name: /^Uphold report against/ }).first().click();
    await admin.getByRole('dialog').waitFor();
    await shoot(admin, '31-admin-uphold');
    await admin.keyboard.press('Escape');
    await visit(admin, base, '/admin/members?q=sam', '32-admin-members');
    await visit(admin, base, `/admin/members/${story.sam.id}`, '33-admin-member');
    await visit(admin, base, '/admin/audit', '34-admin-audit');
    // --- account settings (issue 15): Account, Sessions, Your data, Delete account ---------------
    {
      // A second session (a script's, so "A program or script") and an email change waiting for its link.
      const demoApi = await Member.login(base, DEMO);
      await demoApi.call('POST', '/account/email', { newEmail: 'demo.new@rapport.test', password: PASSWORD });
      await visit(demo, base, '/settings/account', '50-settings-account');
      await visit(demo, base, '/settings/sessions', '51-settings-sessions');
      await visit(demo, base, '/settings/data', '52-settings-data');
      await visit(demo, base, '/settings/delete', '53-settings-delete');
    }
    // --- end of account settings -----------------------------------------------------------------
    process.stdout.write(`screenshots written to ${SHOTS}\n`);
  } finally {
    await browser?.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
