/**
 * The store behind a badge in the shell (My Network, Messaging, the bell): one value shared by every
 * component that shows it. Pages that read the same data report what the API answered; otherwise the
 * shell asks when a member signs in, when the tab regains focus, and once a minute while the tab is
 * visible. A badge is a hint: failing to refresh it is not worth an error message, so the last known
 * value stays.
 */
import { useEffect, useSyncExternalStore } from 'react';

const REFRESH_MS = 60_000;

export interface BadgeStore<T> {
  /** What a page just read; undefined while unknown or signed out. */
  set(next: T | undefined): void;
  /** Ask the API now; a failure keeps the last known value. */
  refresh(): Promise<void>;
  /** The value for the signed-in member, kept fresh while mounted (undefined while unknown or signed out). */
  useValue(memberId: string | undefined): T | undefined;
}

/** `same` says when a new value changes nothing, so subscribers do not re-render for it. */
export function badgeStore<T>(load: () => Promise<T>, same: (a: T | undefined, b: T | undefined) => boolean = Object.is): BadgeStore<T> {
  let value: T | undefined;
  const listeners = new Set<() => void>();

  const set = (next: T | undefined) => {
    if (same(next, value)) return;
    value = next;
    for (const listener of listeners) listener();
  };

  const refresh = async () => {
    try {
      set(await load());
    } catch {
      // Keep the last known value.
    }
  };

  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  function useValue(memberId: string | undefined): T | undefined {
    useEffect(() => {
      set(undefined);
      if (!memberId) return;
      void refresh();
      const timer = window.setInterval(() => document.visibilityState === 'visible' && void refresh(), REFRESH_MS);
      const onFocus = () => void refresh();
      window.addEventListener('focus', onFocus);
      return () => {
        window.clearInterval(timer);
        window.removeEventListener('focus', onFocus);
      };
    }, [memberId]);
    return useSyncExternalStore(subscribe, () => value);
  }

  return { set, refresh, useValue };
}
