import { z } from 'zod';
import { Id } from './common.js';
import { MemberSummary } from './profiles.js';

/**
 * The most characters a message may have: the default of MESSAGE_MAX_CHARS and the ceiling the API
 * accepts. The server enforces its configured MESSAGE_MAX_CHARS (≤ this) on top.
 */
export const MESSAGE_MAX = 8000;
/** Characters of the last message shown in a conversation list item. */
export const PREVIEW_MAX = 140;

/** Plain text: stored and returned as written (trimmed); clients render it as text, never as HTML. */
export const MessageBody = z.strictObject({ body: z.string().trim().min(1, 'Write a message.').max(MESSAGE_MAX, `A message has at most ${MESSAGE_MAX} characters.`) });

export const Message = z
  .object({ id: Id, conversationId: Id, senderId: Id, body: z.string(), createdAt: z.string() })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof Message>;

export const StartConversationBody = z.strictObject({ memberId: Id });

/**
 * One conversation as a participant sees it. `canWrite` is true while the two are connected, or
 * while the invitation whose reply thread this is stays open (pending to its sender); it says
 * nothing a sender could not already see on the invitation.
 */
export const Conversation = z
  .object({
    id: Id,
    member: MemberSummary,
    lastMessage: z.object({ id: Id, senderId: Id, preview: z.string(), createdAt: z.string() }).nullable(),
    unreadCount: z.number().int(),
    lastActivityAt: z.string(),
    lastReadAt: z.string().nullable(),
    canWrite: z.boolean(),
  })
  .meta({ id: 'Conversation' });
export type Conversation = z.infer<typeof Conversation>;

export const ConversationsPage = z.object({
  items: z.array(Conversation),
  nextCursor: z.string().nullable(),
  /** Conversations with at least one unread message: the messaging badge. */
  counts: z.object({ unread: z.number().int() }),
});
export type ConversationsPage = z.infer<typeof ConversationsPage>;
