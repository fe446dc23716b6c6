/** The reminder digest: one email listing every invitation that waits for the recipient's answer. */
import { button, excerpt, h, link, p, subjectLine, type Content } from '../mail/index.js';
import { DAY_MS } from '../../clock.js';

export interface WaitingInvitation {
  id: string;
  sender_id: string;
  sender_name: string;
  sender_headline: string;
  note: string | null;
  created_at: string;
}


export function renderReminderDigest(publicUrl: string, recipientName: string, invitations: WaitingInvitation[], now: string): Content {
  const first = invitations[0];
  const subject =
    invitations.length === 1 && first
      ? `Reminder: ${first.sender_name} is waiting for your answer`
      : `Reminder: ${invitations.length} invitations are waiting for your answer`;
  const items = invitations.map((inv) => {
    const page = `${publicUrl}/invitations/${inv.id}`;
    const days = Math.max(1, Math.floor((Date.parse(now) - Date.parse(inv.created_at)) / DAY_MS));
    return {
      inv,
      who: inv.sender_headline ? `${inv.sender_name} (${inv.sender_headline})` : inv.sender_name,
      when: days === 1 ? '1 day ago' : `${days} days ago`,
      profile: `${publicUrl}/in/${inv.sender_id}`,
      accept: `${page}?action=accept`,
      ignore: `${page}?action=ignore`,
    };
  });
  const count = invitations.length === 1 ? 'An invitation is' : `${invitations.length} invitations are`;
  const text = [
    `Hi ${recipientName},`,
    '',
    `${count} waiting for your answer on Rapport:`,
    ...items.flatMap((i) => [
      '',
      `${i.who}, invited you ${i.when}`,
      ...(i.inv.note ? [`> ${excerpt(i.inv.note, 300)}`] : []),
      `Accept: ${i.accept}`,
      `Ignore: ${i.ignore}`,
    ]),
    '',
    'The links open Rapport: log in, then confirm there. Nobody is told if you ignore an invitation.',
    'We send at most two reminders per invitation.',
  ].join('\n');
  const html = [
    p(`Hi ${h(recipientName)},`),
    p(`${count} waiting for your answer on Rapport:`),
    ...items.map(
      (i) =>
        `<div style="margin:0 0 16px;padding:12px 16px;border:1px solid #d0d7de;border-radius:8px">${p(
          `${link(i.profile, i.inv.sender_name)}${i.inv.sender_headline ? ` (${h(i.inv.sender_headline)})` : ''}, invited you ${h(i.when)}`,
        )}${i.inv.note ? p(`<em>${h(excerpt(i.inv.note, 300))}</em>`) : ''}${button(i.accept, 'Accept')}${button(i.ignore, 'Ignore', false)}</div>`,
    ),
    p('The buttons open Rapport: log in, then confirm there. Nobody is told if you ignore an invitation. We send at most two reminders per invitation.'),
  ].join('\n');
  return { subject: subjectLine(subject), text, html };
}
