/**
 * New-message digest emails (category `messages`): what one says, and the `message-digest`
 * send-time check, which drops the messages read since and skips the email if none is left. The
 * job that writes them is messaging.jobs.ts.
 */
import { z } from 'zod';
import type { Executor } from '../../db/database.js';
import { notBlocked } from '../connections/index.js';
import { button, excerpt, h, link, p, subjectLine, type Content, type SendCheck } from '../mail/index.js';
import * as members from '../members/index.js';

const DigestContext = z.object({ messageIds: z.array(z.string()) });
const SHOWN_PER_CONVERSATION = 3;

export interface DigestMessage {
  id: string;
  conversation_id: string;
  sender_id: string;
  sender_name: string;
  body: string;
  created_at: string;
}

export function digestEmailCheck(publicUrl: string): SendCheck {
  return async (db, email) => {
    const ctx = DigestContext.safeParse(JSON.parse(email.context ?? 'null'));
    if (!ctx.success || email.member_id === null) return { send: false, reason: 'bad-context' };
    const still = await withSenderNames(db, await unread(db, email.member_id).where('m.id', 'in', ctx.data.messageIds.length ? ctx.data.messageIds : ['']).execute());
    if (still.length === 0) return { send: false, reason: 'read' };
    if (still.length === ctx.data.messageIds.length) return { send: true };
    const member = await members.findById(db, email.member_id);
    return member ? { send: true, content: renderDigest(publicUrl, member.full_name, still) } : { send: false, reason: 'no-member' };
  };
}

export function renderDigest(publicUrl: string, name: string, rows: DigestMessage[]): Content {
  const byConversation = new Map<string, DigestMessage[]>();
  for (const r of rows) byConversation.set(r.conversation_id, [...(byConversation.get(r.conversation_id) ?? []), r]);
  const senders = [...new Set(rows.map((r) => r.sender_name))];
  const subject = rows.length === 1 ? `New message from ${senders[0] ?? 'a member'}` : `${rows.length} new messages from ${senders.slice(0, 2).join(', ')}${senders.length > 2 ? ' and others' : ''}`;
  const items = [...byConversation.entries()].map(([conversationId, msgs]) => ({
    url: `${publicUrl}/messaging/${conversationId}`,
    sender: msgs[msgs.length - 1]?.sender_name ?? '',
    count: msgs.length,
    // The latest few, oldest first; the rest are a click away.
    texts: msgs.slice(-SHOWN_PER_CONVERSATION).map((m) => excerpt(m.body)),
  }));
  const count = (n: number) => (n === 1 ? '1 message' : `${n} messages`);
  const text = [
    `Hi ${name},`,
    '',
    `You have ${count(rows.length)} you have not read yet:`,
    ...items.flatMap((i) => ['', `${i.sender} (${count(i.count)}):`, ...i.texts.map((x) => `> ${x}`), `Read and reply: ${i.url}`]),
  ].join('\n');
  const html = [
    p(`Hi ${h(name)},`),
    p(`You have ${count(rows.length)} you have not read yet:`),
    ...items.map((i) => p(`<strong>${h(i.sender)}</strong> (${count(i.count)})<br>${i.texts.map((x) => h(x)).join('<br>')}<br>${link(i.url, 'Read and reply')}`)),
    p(button(`${publicUrl}/messaging`, 'Open messaging')),
  ].join('\n');
  return { subject: subjectLine(subject), text, html };
}

/** Skeleton → hydrate: the senders' names of some messages, in one batched read from members/. */
export async function withSenderNames(db: Executor, rows: Array<Omit<DigestMessage, 'sender_name'>>): Promise<DigestMessage[]> {
  if (rows.length === 0) return [];
  const names = new Map((await members.summaries(db, [...new Set(rows.map((r) => r.sender_id))])).map((m) => [m.id, m.full_name]));
  return rows.flatMap((r) => {
    const name = names.get(r.sender_id);
    return name === undefined ? [] : [{ ...r, sender_name: name }];
  });
}

/** Messages to `memberId` that they have not read, from members with no block either way (no names: `withSenderNames`). */
export function unread(db: Executor, memberId: string) {
  return db
    .selectFrom('messages as m')
    .innerJoin('conversation_members as cm', (j) => j.onRef('cm.conversation_id', '=', 'm.conversation_id').on('cm.member_id', '=', memberId))
    .select(['m.id', 'm.conversation_id', 'm.sender_id', 'm.body', 'm.created_at'])
    .where('m.sender_id', '<>', memberId)
    .where((eb) => eb.or([eb('cm.last_read_at', 'is', null), eb('m.created_at', '>', eb.ref('cm.last_read_at'))]))
    .where(notBlocked('m.sender_id', memberId));
}
