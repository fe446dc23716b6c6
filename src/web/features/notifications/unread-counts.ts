/**
 * The badges on Messaging and on the bell: unread notifications and conversations with unread
 * messages. Like the My Network badge, the shell asks when a member signs in, when the tab regains
 * focus and once a minute; pages that read something report the counts the API answered. A badge is
 * a hint: failing to refresh it is not worth an error message.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { UnreadCounts } from '../../../contracts/notifications.js';
import { notifications } from '../../api/endpoints.js';

let counts: UnreadCounts | undefined;
const listeners = new Set<() => void>();

export function setUnreadCounts(next: UnreadCounts | undefined): void {
  if (next?.unreadCount === counts?.unreadCount && next?.unreadConversations === counts?.unreadConversations) return;
  counts = next;
  for (const listener of listeners) listener();
}

export async function refreshUnreadCounts(): Promise<void> {
  try {
    setUnreadCounts(await notifications.counts());
  } catch {
    // Keep the last known counts.
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const REFRESH_MS = 60_000;

/** The badge counts for the signed-in member (undefined while unknown or signed out). */
export function useUnreadCounts(memberId: string | undefined): UnreadCounts | undefined {
  useEffect(() => {
    setUnreadCounts(undefined);
    if (!memberId) return;
    void refreshUnreadCounts();
    const timer = window.setInterval(() => document.visibilityState === 'visible' && void refreshUnreadCounts(), REFRESH_MS);
    const onFocus = () => void refreshUnreadCounts();
    window.addEventListener('focus', onFocus);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [memberId]);
  return useSyncExternalStore(subscribe, () => counts);
}
