/**
 * The badges on Messaging and on the bell: unread notifications and conversations with unread
 * messages, from one request. Pages that read something report the counts the API answered.
 */
import type { UnreadCounts } from '../../../contracts/notifications.js';
import { badgeStore } from '../../api/badge-store.js';
import { notifications } from '../../api/endpoints.js';

const unread = badgeStore<UnreadCounts>(
  () => notifications.counts(),
  (a, b) => a?.unreadCount === b?.unreadCount && a?.unreadConversations === b?.unreadConversations,
);

export const setUnreadCounts = unread.set;
export const refreshUnreadCounts = unread.refresh;
/** The badge counts for the signed-in member (undefined while unknown or signed out). */
export const useUnreadCounts = unread.useValue;
