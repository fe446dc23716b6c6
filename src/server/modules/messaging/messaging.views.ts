/** Conversations and messages as a participant sees them. */
import { PREVIEW_MAX, type Conversation, type Message } from '../../../contracts/messaging.js';
import type { SummaryRow } from './messaging.hydrate.js';
import type { MessageRow } from './messaging.repository.js';

export function messageView(r: MessageRow): Message {
  return { id: r.id, conversationId: r.conversation_id, senderId: r.sender_id, body: r.body, createdAt: r.created_at };
}

/**
 * `canWrite` mirrors MessagingService.mayWrite: connected, or the thread's invitation still open
 * (pending or ignored, which its sender sees alike as pending) and not past its expiry.
 */
export function conversationView(r: SummaryRow, now: string): Conversation {
  const open = (r.invitation_status === 'pending' || r.invitation_status === 'ignored') && r.invitation_expires_at !== null && r.invitation_expires_at > now;
  return {
    id: r.id,
    member: { id: r.other_id, fullName: r.full_name, headline: r.headline, location: r.location },
    lastMessage:
      r.message_id !== null && r.message_sender_id !== null && r.message_created_at !== null
        ? { id: r.message_id, senderId: r.message_sender_id, preview: preview(r.message_start ?? ''), createdAt: r.message_created_at }
        : null,
    unreadCount: r.unread_count,
    lastActivityAt: r.last_message_at ?? r.created_at,
    lastReadAt: r.last_read_at,
    canWrite: r.connected || open,
  };
}

/**
 * One line of at most PREVIEW_MAX characters (code points), with an ellipsis when cut. `start` is
 * the body's first PREVIEW_MAX + 1 characters, so a longer start means a longer body.
 */
function preview(start: string): string {
  const cut = Array.from(start).length > PREVIEW_MAX;
  const chars = Array.from(start.replace(/\s+/g, ' ').trim());
  return cut || chars.length > PREVIEW_MAX ? `${chars.slice(0, PREVIEW_MAX - 1).join('').trimEnd()}…` : chars.join('');
}
