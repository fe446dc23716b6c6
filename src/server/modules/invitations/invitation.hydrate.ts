/**
 * Skeleton → hydrate (STYLE.md example 3): a page of invitation rows, then one batched read each for
 * what other modules own: the other member's name (members/) and the pair's conversation
 * (messaging/, through a lookup context.ts hands in, since messaging itself reads invitations).
 */
import type { Executor } from '../../db/database.js';
import * as members from '../members/index.js';
import type { InvitationRow } from './invitation.repository.js';

/** The conversation of each pair that has one, by pair key (messaging/index.ts `conversationIdsByPair`). */
export type ConversationsByPair = (db: Executor, pairKeys: readonly string[]) => Promise<Map<string, string>>;

export type InvitationWithMember = InvitationRow & {
  m_full_name: string;
  m_headline: string;
  m_location: string;
  conversation_id: string | null;
};

/** `memberColumn`: which side's member each view shows (the sender to a recipient, and back). */
export async function hydrate(db: Executor, rows: InvitationRow[], memberColumn: 'sender_id' | 'recipient_id', conversations: ConversationsByPair): Promise<InvitationWithMember[]> {
  if (rows.length === 0) return [];
  const people = new Map((await members.summaries(db, [...new Set(rows.map((r) => r[memberColumn]))])).map((m) => [m.id, m]));
  const threads = await conversations(db, rows.map((r) => r.pair_key));
  return rows.flatMap((r) => {
    const m = people.get(r[memberColumn]);
    // Every invitation's members exist (foreign keys; an erased account keeps its row).
    return m ? [{ ...r, m_full_name: m.full_name, m_headline: m.headline, m_location: m.location, conversation_id: threads.get(r.pair_key) ?? null }] : [];
  });
}
