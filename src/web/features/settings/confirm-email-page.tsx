/** /confirm-email?token=… from the email sent to a new address: one click confirms it, signed in or not. */
import { useEffect, useRef, useState } from 'react';
import { account } from '../../api/account.js';
import { ApiError } from '../../api/client.js';
import { auth } from '../../api/endpoints.js';
import { friendlyMessage } from '../../api/messages.js';
import { usePageTitle } from '../../components/page.js';
import { Link, useLocation } from '../../components/router.js';
import { Loading } from '../../components/states.js';
import { AuthCard } from '../auth/auth-card.js';
import { useSession } from '../auth/session.js';

type State = { status: 'confirming' } | { status: 'done'; email: string } | { status: 'failed'; message: string };

export function ConfirmEmailPage() {
  usePageTitle('Confirm your email');
  const { query } = useLocation();
  const token = query.get('token') ?? '';
  const { session, signedIn } = useSession();
  const [state, setState] = useState<State>({ status: 'confirming' });
  // Once per page: a second request would find the link used.
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    if (!token) return setState({ status: 'failed', message: 'This link is incomplete. Open the link from the email again.' });
    account.confirmEmail(token).then(
      (r) => {
        setState({ status: 'done', email: r.email });
        // The signed-in member's email changed: refresh it without unmounting this page (a second
        // request would find the link used).
        if (session.status === 'member') void auth.me().then((me) => me && signedIn(me), () => undefined);
      },
      (e: unknown) => setState({ status: 'failed', message: e instanceof ApiError && e.code === 'TokenExpired' ? 'This link has expired. Ask for a new one in your account settings.' : friendlyMessage(e) }),
    );
  }, [token, session.status, signedIn]);

  const next = session.status === 'member' ? <Link href="/settings/account">Back to account settings</Link> : <Link href="/login">Log in</Link>;
  if (state.status === 'confirming') return <Loading label="Confirming your email…" />;
  return (
    <AuthCard title={state.status === 'done' ? 'Email address confirmed' : 'We could not confirm this email'} footer={<p>{next}</p>}>
      <p role={state.status === 'done' ? 'status' : 'alert'}>
        {state.status === 'done' ? `Your account now uses ${state.email}. Use it to log in from now on.` : state.message}
      </p>
    </AuthCard>
  );
}
