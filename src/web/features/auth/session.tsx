/**
 * Who is signed in, for the whole app. States: loading (asking /api/me) → member | anonymous, or
 * error when the server could not be asked (then the shell offers a retry). A 401 on any later call
 * means the session ended elsewhere: the member becomes anonymous and is told why on the login page.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Me } from '../../../contracts/auth.js';
import { setSessionLostHandler } from '../../api/client.js';
import { auth } from '../../api/endpoints.js';

export type SessionState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'anonymous'; reason?: 'expired' | 'logged-out' }
  | { status: 'member'; me: Me };

interface SessionApi {
  session: SessionState;
  signedIn(me: Me): void;
  signedOut(reason?: 'expired' | 'logged-out'): void;
  retry(): void;
}

const SessionContext = createContext<SessionApi | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    auth.me().then(
      (me) => live && setSession(me ? { status: 'member', me } : { status: 'anonymous' }),
      (error: unknown) => live && setSession({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  useEffect(() => {
    setSessionLostHandler(() => setSession({ status: 'anonymous', reason: 'expired' }));
    return () => setSessionLostHandler(undefined);
  }, []);

  const signedIn = useCallback((me: Me) => setSession({ status: 'member', me }), []);
  const signedOut = useCallback((reason?: 'expired' | 'logged-out') => setSession(reason ? { status: 'anonymous', reason } : { status: 'anonymous' }), []);
  const retry = useCallback(() => {
    setSession({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);
  const value = useMemo(() => ({ session, signedIn, signedOut, retry }), [session, signedIn, signedOut, retry]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession outside SessionProvider');
  return api;
}

/** The signed-in member; only for pages behind the member guard. */
export function useMe(): Me {
  const { session } = useSession();
  if (session.status !== 'member') throw new Error('useMe on a page without a member');
  return session.me;
}
