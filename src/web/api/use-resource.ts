import { useCallback, useEffect, useRef, useState } from 'react';

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; data: T };

/**
 * Load something when the page opens or `key` changes; ignores answers that arrive after the key
 * moved on. `reload` retries after an error; `set` replaces the data after a successful save.
 */
export function useResource<T>(key: string, load: () => Promise<T>): [Resource<T>, { reload: () => void; set: (data: T) => void }] {
  const [state, setState] = useState<Resource<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // The latest `load`, so callers need no useCallback; what to load is decided by `key` alone.
  const latest = useRef(load);
  useEffect(() => {
    latest.current = load;
  });

  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    latest.current().then(
      (data) => live && setState({ status: 'ready', data }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const set = useCallback((data: T) => setState({ status: 'ready', data }), []);
  return [state, { reload, set }];
}
