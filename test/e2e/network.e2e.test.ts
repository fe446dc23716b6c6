/**
 * My Network in a real Chromium against a real server, with three members in three browsers:
 * Ava invites Ben with a note. Ben ignores an older invitation and undoes it (Undo goes through the
 * API: the ignore was sent at once); he ignores another and closes the tab at once, and the reopened
 * page has it in Archived, from where he moves it back to the inbox. Ben ignores Ava's invitation,
 * says he doesn't know her, finds it in Archived and accepts after all; both then see each other as connections. Cleo invites Ben, who
 * replies without accepting and carries on in the thread. Ava invites Cleo, withdraws from Sent and is
 * told about the 21-day cooldown, which a re-invite then runs into. Ben blocks Cleo, whose profile
 * is then gone for him. Every new page is checked with axe at desktop and phone sizes; any
 * unexpected console error fails the test.
 */
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/server/clock.js';
import type { Session, TestApp } from '../_util.js';
import { watchTab, type Tab } from './_browser.js';
import { SEEDED_INVITES, startNetworkStory, type NetworkStory } from './_network-story.js';

const NOTE = 'Hi Ben, we met at the Lisbon data meetup last week. I would love to keep in touch.';

describe('My Network in the browser', () => {
  let story: NetworkStory | undefined;
  let t: TestApp;
  let base: string;
  let ava: Session;
  let ben: Session;
  let cleo: Session;
  /** One browser (its own cookies) per member. */
  let a: Tab;
  let b: Tab;
  let c: Tab;
  /** Ben's thread with Cleo, opened by his reply to her invitation. */
  let thread = '';

  beforeAll(async () => {
    story = await startNetworkStory();
    ({ t, base, ava, ben, cleo, a, b, c } = story);
  }, 120_000);

  afterAll(() => story?.close());

  const mainNav = (tab: Tab) => tab.page.getByRole('navigation', { name: 'Main' });
  const folders = (tab: Tab) => tab.page.getByRole('navigation', { name: 'Invitation folders' });
  /** The My Network link with its badge, as a screen reader names it. */
  const waiting = (n: number) => new RegExp(`^My Network\\s?, ${n} invitations waiting$`);
  const rows = (tab: Tab) => tab.page.locator('ul.invites > li');
  const focused = (tab: Tab) => tab.page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');
  const gone = (locator: Locator, timeout = 10_000) => locator.waitFor({ state: 'detached', timeout });

  it('lets Ava invite Ben from his profile with a note, counting the characters', async () => {
    const { page } = a;
    await page.goto(`${base}/in/${ben.id}`);
    await a.see(a.heading('Ben Lindqvist'));
    const connect = page.getByRole('button', { name: 'Connect' });
    await connect.click();
    const dialog = page.getByRole('dialog', { name: 'Invite Ben Lindqvist to connect' });
    await a.see(dialog);
    const note = dialog.getByLabel('Add a note (optional)');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await a.see(dialog.getByText('0/300'));

    // Over the limit: the count turns red and sending is refused next to the field.
    await note.fill('x'.repeat(301));
    await a.see(dialog.getByText('301/300'));
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await a.see(dialog.getByText('A note has at most 300 characters.'));

    // Escape closes the dialog and gives focus back to Connect.
    await page.keyboard.press('Escape');
    await gone(dialog);
    expect(await focused(a)).toContain('Connect');

    await connect.click();
    await note.fill(NOTE);
    await a.see(dialog.getByText(`${NOTE.length}/300`));
    await a.check('profile-connect');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await a.see(page.getByRole('status').getByText('Invitation sent to Ben Lindqvist.'));
    await gone(dialog);
    const pending = await a.see(page.getByRole('button', { name: /^Pending/ }));
    // Pending opens a menu offering Withdraw; Escape closes it.
    await pending.click();
    await a.see(page.getByRole('menuitem', { name: 'Withdraw invitation' }));
    await page.keyboard.press('Escape');
    await gone(page.getByRole('menu'));
  });

  it('shows Ben the invitation in Received, with the note and the badge count, a page at a time', async () => {
    const { page } = b;
    await page.goto(`${base}/profile`);
    const badge = mainNav(b).getByRole('link', { name: waiting(SEEDED_INVITES + 1) });
    await (await b.see(badge)).click();
    await b.see(b.heading('Invitations'));
    expect(b.path()).toBe('/mynetwork/invitations');
    await b.see(folders(b).getByRole('link', { name: `Received ${SEEDED_INVITES + 1}` }));
    await b.see(folders(b).getByRole('link', { name: 'Archived 0' }));
    const first = rows(b).first();
    await b.see(first.getByRole('link', { name: 'Ava Okafor' }));
    await b.see(first.getByText('Data engineer at Tidewater Analytics'));
    await b.see(first.getByText(NOTE));
    await b.see(first.getByText(/^(just now|\d+ minutes? ago)$/));
    await b.see(rows(b).nth(1).getByText('1 day ago'));
    await b.check('network-received');

    expect(await rows(b).count()).toBe(20);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rows(b).count()).toBe(SEEDED_INVITES + 1);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    await b.see(rows(b).last().getByText('3 weeks ago'));
  });

  /** Ben's oldest waiting invitation, as the server has it; and an invitation's stored status. */
  const oldestReceived = async () => (await t.ctx.invitations.listReceived(ben.id, 'inbox', undefined, 100)).items.at(-1) ?? expect.fail('Ben has nothing waiting');
  const statusOf = async (id: string) => (await t.ctx.invitations.get(ben.id, id)).status;

  it('lets Ben undo an ignore: the ignore is sent at once, and Undo puts it back in the inbox through the API', async () => {
    const last = rows(b).last();
    const oldest = await oldestReceived();
    await last.getByRole('button', { name: `Ignore invitation from ${oldest.sender.fullName}` }).click();
    await b.see(last.getByText('Invitation ignored.'));
    const undo = await b.see(last.getByRole('button', { name: `Undo ignoring the invitation from ${oldest.sender.fullName}` }));
    // Sent already, and counted: no window in which closing the tab would lose it.
    expect(await statusOf(oldest.id)).toBe('ignored');
    await b.see(folders(b).getByRole('link', { name: 'Archived 1' }));
    await undo.click();
    await b.see(last.getByRole('button', { name: /^Accept invitation from/ }));
    expect(await focused(b)).toMatch(/^Ignore invitation from/);
    expect(await statusOf(oldest.id)).toBe('pending');
    await b.see(folders(b).getByRole('link', { name: 'Archived 0' }));
    const events = await t.ctx.invitations.events(ben.id, oldest.id, undefined, 100);
    expect(events.items.map((e) => `${e.action}:${e.actor}`)).toEqual(['sent:them', 'ignored:you', 'restored:you']);
    // The sender's log shows neither.
    expect((await t.ctx.invitations.events(oldest.sender.id, oldest.id, undefined, 100)).items.map((e) => e.action)).toEqual(['sent']);
  });

  it('keeps an ignore when Ben closes the tab at once: reopened, the invitation is in Archived; “Move to inbox” brings it back', async () => {
    const oldest = await oldestReceived();
    const name = oldest.sender.fullName;
    await rows(b).last().getByRole('button', { name: `Ignore invitation from ${name}` }).click();
    // Undo is offered once the ignore was clicked (today: once the server has it); close the tab there and then.
    await b.see(rows(b).last().getByRole('button', { name: /^Undo/ }));
    const context = b.page.context();
    expect(b.problems).toEqual([]);
    await b.page.close();

    b = watchTab(await context.newPage(), base);
    await b.page.goto(`${base}/mynetwork/invitations`);
    await b.see(folders(b).getByRole('link', { name: 'Archived 1' }));
    await b.see(folders(b).getByRole('link', { name: `Received ${SEEDED_INVITES}` }));
    await b.see(mainNav(b).getByRole('link', { name: waiting(SEEDED_INVITES) }));
    expect(await statusOf(oldest.id)).toBe('ignored');

    await folders(b).getByRole('link', { name: 'Archived 1' }).click();
    const row = rows(b).first();
    await b.see(row.getByRole('link', { name }));
    await row.getByRole('button', { name: `Show invitation from ${name}` }).click();
    await row.getByRole('button', { name: `Move the invitation from ${name} to inbox` }).click();
    await b.see(row.getByText(`The invitation from ${name} is back in your inbox.`));
    await b.see(folders(b).getByRole('link', { name: 'Archived 0' }));
    await b.see(folders(b).getByRole('link', { name: `Received ${SEEDED_INVITES + 1}` }));
    expect(await statusOf(oldest.id)).toBe('pending');
    await b.check('network-archived-restored');
    await folders(b).getByRole('link', { name: `Received ${SEEDED_INVITES + 1}` }).click();
    await b.see(rows(b).first().getByRole('button', { name: 'Ignore invitation from Ava Okafor' }));
  });

  it('ignores Ava’s invitation at once (the counts move), then records “I don’t know this person”, after which Undo is gone', async () => {
    const row = rows(b).first();
    await row.getByRole('button', { name: 'Ignore invitation from Ava Okafor' }).click();
    await b.see(row.getByText('Invitation ignored.'));
    await b.see(row.getByRole('button', { name: 'Undo ignoring the invitation from Ava Okafor' }));
    await b.see(row.getByRole('button', { name: /I don.t know this person/ }));
    await b.see(row.getByRole('button', { name: 'Report as spam' }));
    await b.see(row.getByText('It’s in Archived if you change your mind.'));
    await b.see(mainNav(b).getByRole('link', { name: waiting(SEEDED_INVITES) }));
    await b.see(folders(b).getByRole('link', { name: `Received ${SEEDED_INVITES}` }));
    await b.see(folders(b).getByRole('link', { name: 'Archived 1' }));
    await b.axe('network-ignore-undo (desktop)');
    const inbox = await t.ctx.invitations.listReceived(ben.id, 'inbox', undefined, 100);
    expect(inbox.items.map((i) => i.sender.id)).not.toContain(ava.id);
    expect(inbox.counts).toEqual({ inbox: SEEDED_INVITES, archived: 1 });

    await row.getByRole('button', { name: /I don.t know this person/ }).click();
    await b.see(row.getByText('Thanks for telling us.'));
    expect(await row.getByRole('button', { name: /I don.t know this person/ }).count()).toBe(0);
    expect(await row.getByRole('button', { name: /^Undo/ }).count()).toBe(0);
    await b.check('network-ignored');
  });

  it('lets Ben find it in Archived, open it and accept it after all', async () => {
    const { page } = b;
    await folders(b).getByRole('link', { name: 'Archived 1' }).click();
    await b.see(page.getByText('You said you don’t know them'));
    expect(b.path()).toBe('/mynetwork/invitations/archived');
    const row = rows(b).first();
    await b.see(row.getByRole('link', { name: 'Ava Okafor' }));
    const show = row.getByRole('button', { name: 'Show invitation from Ava Okafor' });
    expect(await show.getAttribute('aria-expanded')).toBe('false');
    await show.click();
    const hide = await b.see(row.getByRole('button', { name: 'Hide invitation from Ava Okafor' }));
    expect(await hide.getAttribute('aria-expanded')).toBe('true');
    await b.see(row.getByText(NOTE));
    await b.check('network-archived');
    await row.getByRole('button', { name: 'Accept invitation from Ava Okafor' }).click();
    await b.see(row.getByText('Ava Okafor is now a connection.'));
    await b.see(folders(b).getByRole('link', { name: 'Archived 0' }));
  });

  it('shows Ava and Ben to each other in Connections and as “1st” on their profiles', async () => {
    const { page } = b;
    await page.getByRole('navigation', { name: 'My Network' }).getByRole('link', { name: 'Connections' }).click();
    await b.see(b.heading('Connections'));
    await b.see(page.getByText('You have 3 connections.'));
    await b.see(rows(b).first().getByRole('link', { name: 'Ava Okafor' }));
    await page.getByLabel('Search connections by name').fill('okafor');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await b.see(page.getByRole('heading', { name: 'Connections matching “okafor”' }));
    await expect.poll(() => rows(b).count()).toBe(1);
    await b.check('connections');
    await page.getByLabel('Search connections by name').fill('');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByLabel('Sort by').selectOption('name');
    await b.see(page.getByRole('heading', { name: 'Your connections, by name' }));
    expect(new URL(page.url()).search).toBe('?sort=name');
    await expect.poll(() => rows(b).count()).toBe(3);

    // Remove one of the others, through the row's menu and a confirmation.
    const other = rows(b).filter({ hasNot: page.getByRole('link', { name: 'Ava Okafor' }) }).first();
    const name = await other.locator('a.person-name').innerText();
    await other.getByRole('button', { name: `More actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Remove connection' }).click();
    const dialog = page.getByRole('dialog', { name: `Remove ${name}?` });
    await b.see(dialog.getByText('won’t be told', { exact: false }));
    await dialog.getByRole('button', { name: 'Remove connection' }).click();
    await b.see(page.getByRole('status').getByText(`${name} was removed from your connections.`));
    await b.see(page.getByText('You have 2 connections.'));
    await expect.poll(() => rows(b).count()).toBe(2);

    await a.page.goto(`${base}/mynetwork/connections`);
    await a.see(a.page.getByText('You have 1 connection.'));
    await a.page.getByRole('link', { name: 'Ben Lindqvist' }).click();
    await a.see(a.heading('Ben Lindqvist'));
    await a.see(a.page.locator('.degree', { hasText: '1st' }));
    await a.see(a.page.locator('.pill', { hasText: 'Connected' }));

    // The More menu by keyboard: Enter opens on the first item, arrows move, Escape returns focus.
    const more = a.page.getByRole('button', { name: 'More actions for Ben Lindqvist' });
    await more.focus();
    await a.page.keyboard.press('Enter');
    await a.see(a.page.getByRole('menu'));
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    expect(await focused(a)).toBe('Remove connection');
    await a.page.keyboard.press('ArrowDown');
    expect(await focused(a)).toBe('Block');
    await a.check('profile-connected');
    await a.page.keyboard.press('Escape');
    await gone(a.page.getByRole('menu'));
    expect(await focused(a)).toBe('More actions for Ben Lindqvist');
  });

  it('lets Ben reply to Cleo without accepting; the thread shows it and the invitation still waits', async () => {
    await c.page.goto(`${base}/in/${ben.id}`);
    await c.page.getByRole('button', { name: 'Connect' }).click();
    await c.page.getByRole('dialog').getByRole('button', { name: 'Send invitation' }).click();
    await c.see(c.page.getByRole('status').getByText('Invitation sent to Ben Lindqvist.'));

    const { page } = b;
    await mainNav(b).getByRole('link', { name: /^My Network/ }).click();
    await b.see(b.heading('Invitations'));
    const row = rows(b).first();
    await b.see(row.getByRole('link', { name: 'Cleo Marchetti' }));
    // The split button's menu, by keyboard.
    await row.getByRole('button', { name: 'More ways to answer Cleo Marchetti' }).focus();
    await page.keyboard.press('ArrowDown');
    expect(await focused(b)).toBe('Reply without accepting');
    await page.keyboard.press('Enter');
    const reply = row.getByLabel('Reply to Cleo Marchetti');
    await b.see(reply);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await reply.fill('Hi Cleo, thanks for reaching out. What role are you hiring for?');
    await b.check('network-reply');
    await row.getByRole('button', { name: 'Send reply' }).click();
    await b.see(row.getByText('Message sent — the invitation is still waiting.'));
    await b.see(row.getByRole('button', { name: 'Accept invitation from Cleo Marchetti' }));

    await row.getByRole('link', { name: 'View conversation' }).click();
    await b.see(b.heading('Cleo Marchetti'));
    expect(b.path()).toMatch(/^\/messaging\/[0-9a-f-]{36}$/);
    thread = b.path();
    await b.see(page.getByText('Hi Cleo, thanks for reaching out. What role are you hiring for?'));
    await page.getByLabel('Write a message').fill('I am free for a call on Thursday.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await b.see(page.getByText('I am free for a call on Thursday.'));
    // Oldest at the top, once the thread has re-read its messages after the send.
    await expect.poll(() => page.locator('.message-body').allTextContents(), { timeout: 5000 }).toEqual([
      'Hi Cleo, thanks for reaching out. What role are you hiring for?',
      'I am free for a call on Thursday.',
    ]);
    await b.check('conversation');

    await page.goBack();
    await b.see(b.heading('Invitations'));
    await b.see(rows(b).first().getByRole('link', { name: 'Cleo Marchetti' }));
    await b.see(rows(b).first().getByRole('link', { name: 'View your conversation with Cleo' }));
    await b.see(folders(b).getByRole('link', { name: `Received ${SEEDED_INVITES + 1}` }));
  });

  it('tells Ava about the 21-day cooldown before she withdraws, and when she can invite again', async () => {
    const { page } = a;
    await page.goto(`${base}/in/${cleo.id}`);
    await a.see(a.heading('Cleo Marchetti'));
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Send invitation' }).click();
    await a.see(page.getByRole('button', { name: /^Pending/ }));

    await mainNav(a).getByRole('link', { name: /^My Network/ }).click();
    await folders(a).getByRole('link', { name: 'Sent 1' }).click();
    expect(a.path()).toBe('/mynetwork/invitations/sent');
    const row = rows(a).first();
    await a.see(row.getByRole('link', { name: 'Cleo Marchetti' }));
    await a.see(row.getByText(/^Sent (just now|\d+ minutes? ago)$/));
    await row.getByRole('button', { name: 'Withdraw invitation to Cleo Marchetti' }).click();
    const dialog = page.getByRole('dialog', { name: 'Withdraw invitation?' });
    await a.see(dialog.getByText('You won’t be able to invite Cleo Marchetti again for 21 days.'));
    await a.check('network-sent-withdraw');
    await dialog.getByRole('button', { name: 'Withdraw' }).click();
    await a.see(row.getByText('Withdrawn.'));
    await a.see(folders(a).getByRole('link', { name: 'Sent 0' }));

    await page.goto(`${base}/in/${cleo.id}`);
    await page.getByRole('button', { name: 'Connect' }).click();
    a.expectFailedRequest(429, '/api/invitations');
    await page.getByRole('dialog').getByRole('button', { name: 'Send invitation' }).click();
    const again = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(t.clock.now().getTime() + 21 * DAY_MS));
    await a.see(page.getByRole('alert').getByText(`You withdrew an invitation to Cleo recently. You can invite Cleo again on ${again}.`));
    await a.check('profile-cooldown');
  });

  it('lets Ben block Cleo from her profile, after which her profile is not found for him', async () => {
    const { page } = b;
    await page.goto(`${base}/in/${cleo.id}`);
    await b.see(b.heading('Cleo Marchetti'));
    await b.see(page.getByText('Cleo invited you to connect'));
    await page.getByRole('button', { name: 'More actions for Cleo Marchetti' }).click();
    await b.see(page.getByRole('menuitem', { name: 'Report as spam' }));
    await page.getByRole('menuitem', { name: 'Block' }).click();
    const dialog = page.getByRole('dialog', { name: 'Block Cleo Marchetti?' });
    await b.see(dialog.getByText('Cleo won’t be told.', { exact: false }));
    await b.check('profile-block');
    await dialog.getByRole('button', { name: 'Block' }).click();
    await b.see(b.heading('Connections'));
    await b.see(page.getByRole('status').getByText('You blocked Cleo Marchetti.', { exact: false }));

    b.expectFailedRequest(404, `/api/members/${cleo.id}`);
    await page.goto(`${base}/in/${cleo.id}`);
    await b.see(b.heading('This profile is not available'));
    await b.check('profile-not-found');

    // Their conversation is gone for him too.
    b.expectFailedRequest(404, `/api/conversations/${thread.split('/').pop() ?? ''}/messages`);
    await page.goto(`${base}${thread}`);
    await b.see(b.heading('This conversation is not available'));
    await b.check('conversation-not-found');

    // Blocking withdrew her invitation: it has left Ben's inbox.
    await page.goto(`${base}/mynetwork/invitations`);
    await b.see(folders(b).getByRole('link', { name: `Received ${SEEDED_INVITES}` }));
    expect(await page.getByRole('link', { name: 'Cleo Marchetti' }).count()).toBe(0);
    for (const tab of [a, b, c]) expect(tab.problems).toEqual([]);
  });
});
