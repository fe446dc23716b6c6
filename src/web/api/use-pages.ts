import { useCallback, useEffect, useRef, useState } from 'react';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Pages<T> =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; items: T[]; nextCursor: string | null; more: { loading: boolean; error?: unknown } };

export interface PagesApi<T> {
  /** Fetch the page after the last one and append it; a failure stays next to the button. */
  loadMore(): Promise<void>;
  reload(): void;
  /** Change the loaded items in place, e.g. drop a removed connection or prepend a sent message. */
  update(change: (items: T[]) => T[]): void;
}

/**
 * A keyset-paginated list: the first page loads when `key` changes (answers for an older key are
 * dropped), and "Load more" follows `nextCursor`. `onPage` sees every page, for counts that come with it.
 */
export function usePages<T, P extends Page<T>>(key: string, load: (cursor?: string) => Promise<P>, onPage?: (page: P) => void): [Pages<T>, PagesApi<T>] {
  const [state, setState] = useState<Pages<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // The latest callbacks, so callers need no useCallback; what to load is decided by `key` alone.
  const latest = useRef({ load, onPage });
  useEffect(() => {
    latest.current = { load, onPage };
  });
  const current = useRef(state);
  useEffect(() => {
    current.current = state;
  }, [state]);

  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    latest.current.load().then(
      (page) => {
        if (!live) return;
        latest.current.onPage?.(page);
        setState({ status: 'ready', items: page.items, nextCursor: page.nextCursor, more: { loading: false } });
      },
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [key, attempt]);

  const loadMore = useCallback(async () => {
    const before = current.current;
    if (before.status !== 'ready' || !before.nextCursor || before.more.loading) return;
    setState({ ...before, more: { loading: true } });
    try {
      const page = await latest.current.load(before.nextCursor);
      latest.current.onPage?.(page);
      setState((s) => (s.status === 'ready' ? { status: 'ready', items: [...s.items, ...page.items], nextCursor: page.nextCursor, more: { loading: false } } : s));
    } catch (error) {
      setState((s) => (s.status === 'ready' ? { ...s, more: { loading: false, error } } : s));
    }
  }, []);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const update = useCallback((change: (items: T[]) => T[]) => setState((s) => (s.status === 'ready' ? { ...s, items: change(s.items) } : s)), []);
  return [state, { loadMore, reload, update }];
}
