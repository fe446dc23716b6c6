/**
 * Skeleton → hydrate (STYLE.md example 3): conversation rows from this module's tables, then one
 * batched read each for what other modules own: the other member (members/), whether the two are
 * connected (connections/) and the state of the thread's invitation (invitations/).
 */
import type { Executor } from '../../db/database.js';
import { connectedAmong } from '../connections/index.js';
import { findInvitations } from '../invitations/index.js';
import * as members from '../members/index.js';
import type { SummarySkeleton } from './messaging.repository.js';

export type SummaryRow = SummarySkeleton & {
  full_name: string;
  headline: string;
  location: string;
  connected: boolean;
  invitation_status: string | null;
  invitation_expires_at: string | null;
};

export async function hydrate(db: Executor, memberId: string, rows: SummarySkeleton[]): Promise<SummaryRow[]> {
  if (rows.length === 0) return [];
  const others = [...new Set(rows.map((r) => r.other_id))];
  const people = new Map((await members.summaries(db, others)).map((m) => [m.id, m]));
  const connected = await connectedAmong(db, memberId, others);
  const invitationIds = rows.flatMap((r) => (r.invitation_id === null ? [] : [r.invitation_id]));
  const invitations = new Map((await findInvitations(db, invitationIds)).map((i) => [i.id, i]));
  return rows.flatMap((r) => {
    const other = people.get(r.other_id);
    const inv = r.invitation_id === null ? undefined : invitations.get(r.invitation_id);
    // Both participants exist (foreign keys; an erased account keeps its row).
    if (!other) return [];
    return [{
      ...r,
      full_name: other.full_name,
      headline: other.headline,
      location: other.location,
      connected: connected.has(r.other_id),
      invitation_status: inv?.status ?? null,
      invitation_expires_at: inv?.expires_at ?? null,
    }];
  });
}
