import { z } from 'zod';
import { Id } from './common.js';
import { MemberSummary } from './profiles.js';

/**
 * In-app notifications (PRODUCT.md §5). There are exactly these kinds: ignore, "I don't know",
 * spam reports, withdrawals and expiry never notify anyone.
 */
export const notificationKinds = ['invitation_received', 'invitation_accepted', 'message_received'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

const base = {
  id: Id,
  /** Who caused it: the inviter, the member who accepted, the member who wrote. */
  actor: MemberSummary,
  /** A path in the web app to open for it. */
  link: z.string(),
  createdAt: z.string(),
  /** The latest event it stands for; lists sort by it. Differs from createdAt once messages collapse into it. */
  updatedAt: z.string(),
  readAt: z.string().nullable(),
};

export const Notification = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('invitation_received'), invitationId: Id, ...base }),
    z.object({ kind: z.literal('invitation_accepted'), invitationId: Id, ...base }),
    /** Unread messages in one conversation collapse into one notification; `messageCount` counts them. */
    z.object({ kind: z.literal('message_received'), conversationId: Id, messageCount: z.number().int().min(1), ...base }),
  ])
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof Notification>;

export const NotificationsQuery = z.strictObject({
  unread: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
});

export const UnreadCounts = z
  .object({
    /** Unread notifications: the notifications badge. */
    unreadCount: z.number().int(),
    /** Conversations with unread messages: the messaging badge. */
    unreadConversations: z.number().int(),
  })
  .meta({ id: 'UnreadCounts' });
export type UnreadCounts = z.infer<typeof UnreadCounts>;

export const NotificationsPage = z.object({
  items: z.array(Notification),
  nextCursor: z.string().nullable(),
  unreadCount: z.number().int(),
});
export type NotificationsPage = z.infer<typeof NotificationsPage>;

/** Mark these notifications read; without `ids`, mark every notification read. */
export const MarkNotificationsReadBody = z.strictObject({ ids: z.array(Id).min(1).max(100).optional() });
