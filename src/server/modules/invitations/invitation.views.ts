/**
 * Invitations as each side sees them. This file is where sender privacy is enforced: the sent view
 * is built only from fields an ignore, an IDK or a spam report never change (ids, note, creation
 * and expiry times, and the closing time of accepted / withdrawn / expired), and it maps stored
 * `ignored` to `pending`.
 */
import type { ReceivedInvitation, SentInvitation } from '../../../contracts/invitations.js';
import type { NetworkView } from '../graph/index.js';
import type { InvitationWithMember } from './invitation.hydrate.js';

type Row = InvitationWithMember;

const isOpen = (r: Row) => r.status === 'pending' || r.status === 'ignored';
const expiredByTime = (r: Row, now: string) => isOpen(r) && r.expires_at <= now;

function member(r: Row) {
  return { fullName: r.m_full_name, headline: r.m_headline, location: r.m_location };
}

/** `net`: the recipient's degree and mutual connections as the sender sees them. */
export function sentView(r: Row, now: string, net: NetworkView): SentInvitation {
  const expired = expiredByTime(r, now);
  const status = expired ? 'expired' : r.status === 'ignored' ? 'pending' : r.status;
  return {
    id: r.id,
    direction: 'sent',
    recipient: { id: r.recipient_id, ...member(r), ...net },
    note: r.note,
    status,
    createdAt: r.created_at,
    closedAt: expired ? r.expires_at : r.closed_at,
  };
}

/** `net`: the sender's degree and mutual connections as the recipient sees them. */
export function receivedView(r: Row, now: string, net: NetworkView): ReceivedInvitation {
  const expired = expiredByTime(r, now);
  const status = expired ? 'expired' : r.status;
  return {
    id: r.id,
    direction: 'received',
    sender: { id: r.sender_id, ...member(r), ...net },
    note: r.note,
    status,
    folder: status === 'pending' ? 'inbox' : status === 'ignored' ? 'archived' : null,
    idk: r.idk === 1,
    spamReported: r.spam === 1,
    conversationId: r.conversation_id,
    createdAt: r.created_at,
    ignoredAt: r.ignored_at,
    closedAt: expired ? r.expires_at : r.closed_at,
  };
}
