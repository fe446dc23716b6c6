/** One conversation per pair of members, whatever brought them together. */
export interface ConversationTable {
  id: string;
  /** Sorted pair of participants: unique, so a pair never has two conversations. */
  pair_key: string;
  member_a: string;
  member_b: string;
  /** The invitation whose reply thread this is, while the two are not (or no longer) connected. */
  invitation_id: string | null;
  created_at: string;
  last_message_at: string;
  /** For the list preview; null until the first message. */
  last_message_id: string | null;
}

/**
 * A participant's side of a conversation: two rows per conversation, created with it. Holds the
 * per-member read state (`unread_count` messages from the other since `last_read_at`) and a copy of
 * the conversation's last message time, so "my conversations, newest first" is one index range.
 */
export interface ConversationMemberTable {
  conversation_id: string;
  member_id: string;
  other_id: string;
  /** null until the first message: empty conversations are not listed. */
  last_message_at: string | null;
  unread_count: number;
  last_read_at: string | null;
}

export interface MessageTable {
  id: string;
  conversation_id: string;
  sender_id: string;
  body: string;
  created_at: string;
}

/**
 * A message waiting for its recipient's digest: written in the transaction that stores the message,
 * deleted by the digest that covers it (or that finds it read). No cursor: commit order does not
 * follow `messages.created_at`.
 */
export interface MessageDigestQueueTable {
  member_id: string;
  message_id: string;
  created_at: string;
}
