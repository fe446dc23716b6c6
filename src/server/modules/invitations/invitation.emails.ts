/**
 * Invitation emails, written in the transaction of the transition that causes them:
 * - a new invitation, to its recipient (category `invitations`), with the note and Accept / Ignore
 *   links into the web app (which asks for login and a confirming click: no link changes state);
 * - an accepted invitation, to its sender.
 * There is no email for ignore, IDK, spam, withdraw or expiry, and none for an invitation the IDK
 * bar files straight into Archived: InvitationService calls `sent` only for one filed into the inbox.
 *
 * Send-time check (`invitation`): the invitation must still be pending, unexpired and unblocked; the
 * recipient may have acted on it in the app before the email went out.
 */
import { z } from 'zod';
import type { Database, Executor } from '../../db/database.js';
import { isBlockedEitherWay } from '../connections/index.js';
import { button, h, link, p, quote, subjectLine, type Mailer, type SendCheck } from '../mail/index.js';
import * as members from '../members/index.js';
import * as repo from './invitation.repository.js';
import type { InvitationRow } from './invitation.repository.js';
import type { InvitationEffects } from './invitation.service.js';

const InvitationContext = z.object({ invitationId: z.string() });

/**
 * The `invitation` send-time check: still pending (not ignored: that is the recipient's answer),
 * unexpired, and no block either way. Registered with the mailer in context.jobs.ts.
 */
export const invitationEmailCheck: SendCheck = async (db, email, now) => {
  const ctx = InvitationContext.safeParse(JSON.parse(email.context ?? 'null'));
  if (!ctx.success) return { send: false, reason: 'bad-context' };
  const inv = await repo.findById(db, ctx.data.invitationId);
  if (!inv || inv.status !== 'pending' || !repo.isOpenAt(inv, now)) return { send: false, reason: 'invitation-closed' };
  if (await isBlockedEitherWay(db, inv.sender_id, inv.recipient_id)) return { send: false, reason: 'blocked' };
  return { send: true };
};

export class InvitationEmails implements InvitationEffects {
  constructor(
    private readonly database: Database,
    private readonly mailer: Mailer,
    private readonly publicUrl: string,
  ) {}

  async sent(db: Executor, inv: Pick<InvitationRow, 'id' | 'sender_id' | 'recipient_id' | 'note'>): Promise<void> {
    const { sender, recipient } = await pair(db, inv);
    if (!sender || !recipient) return;
    const page = `${this.publicUrl}/invitations/${inv.id}`;
    const accept = `${page}?action=accept`;
    const ignore = `${page}?action=ignore`;
    const profile = `${this.publicUrl}/in/${sender.id}`;
    const who = sender.headline ? `${sender.full_name} (${sender.headline})` : sender.full_name;
    const text = [
      `Hi ${recipient.full_name},`,
      '',
      `${who} invited you to connect on Rapport.`,
      ...(inv.note ? ['', 'Their note:', ...inv.note.split('\n').map((l) => `> ${l}`)] : []),
      '',
      `Accept: ${accept}`,
      `Ignore: ${ignore}`,
      `Their profile: ${profile}`,
      '',
      'Both links open Rapport: log in, then confirm there. Nobody is told if you ignore an invitation.',
    ].join('\n');
    const html = [
      p(`Hi ${h(recipient.full_name)},`),
      p(`${link(profile, sender.full_name)}${sender.headline ? ` (${h(sender.headline)})` : ''} invited you to connect on Rapport.`),
      inv.note ? `${p('Their note:')}${quote(inv.note)}` : '',
      p(`${button(accept, 'Accept')}${button(ignore, 'Ignore', false)}`),
      p('Both buttons open Rapport: log in, then confirm there. Nobody is told if you ignore an invitation.'),
    ].join('\n');
    await this.mailer.enqueue(this.database.txOf(db), {
      to: recipient.email,
      memberId: recipient.id,
      category: 'invitations',
      kind: 'invitation',
      context: { invitationId: inv.id },
      subject: subjectLine(`${sender.full_name} invited you to connect`),
      text,
      html,
    });
  }

  async accepted(db: Executor, inv: InvitationRow): Promise<void> {
    const { sender, recipient } = await pair(db, inv);
    if (!sender || !recipient) return;
    const profile = `${this.publicUrl}/in/${recipient.id}`;
    const text = [
      `Hi ${sender.full_name},`,
      '',
      `${recipient.full_name} accepted your invitation. You are now connected.`,
      '',
      `Their profile: ${profile}`,
    ].join('\n');
    const html = [
      p(`Hi ${h(sender.full_name)},`),
      p(`${link(profile, recipient.full_name)} accepted your invitation. You are now connected.`),
      p(button(profile, 'View profile')),
    ].join('\n');
    await this.mailer.enqueue(this.database.txOf(db), {
      to: sender.email,
      memberId: sender.id,
      category: 'invitations',
      kind: 'invitation-accepted',
      context: { invitationId: inv.id },
      subject: subjectLine(`${recipient.full_name} accepted your invitation`),
      text,
      html,
    });
  }
}

/** What an invitation email says of its two members, in one query (a send runs it). */
async function pair(db: Executor, inv: Pick<InvitationRow, 'sender_id' | 'recipient_id'>) {
  const rows = await members.findByIds(db, [inv.sender_id, inv.recipient_id]);
  return { sender: rows.find((r) => r.id === inv.sender_id), recipient: rows.find((r) => r.id === inv.recipient_id) };
}
