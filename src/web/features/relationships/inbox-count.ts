/**
 * The "My Network" badge: how many invitations wait in the inbox. Pages that load the inbox report
 * the count they got; otherwise the shell asks when a member signs in, when the tab regains focus,
 * and once a minute. The badge is a hint: failing to refresh it is not worth an error message.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { invitations } from '../../api/endpoints.js';

let count: number | undefined;
const listeners = new Set<() => void>();

export function setInboxCount(next: number | undefined): void {
  if (next === count) return;
  count = next;
  for (const listener of listeners) listener();
}

export async function refreshInboxCount(): Promise<void> {
  try {
    setInboxCount((await invitations.received('inbox', undefined, 1)).counts.inbox);
  } catch {
    // Keep the last known count.
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const REFRESH_MS = 60_000;

/** The badge count for the signed-in member (undefined while unknown or signed out). */
export function useInboxCount(memberId: string | undefined): number | undefined {
  useEffect(() => {
    setInboxCount(undefined);
    if (!memberId) return;
    void refreshInboxCount();
    const timer = window.setInterval(() => document.visibilityState === 'visible' && void refreshInboxCount(), REFRESH_MS);
    const onFocus = () => void refreshInboxCount();
    window.addEventListener('focus', onFocus);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [memberId]);
  return useSyncExternalStore(subscribe, () => count);
}
