import { useState } from 'react';
import { LoginBody } from '../../../contracts/auth.js';
import { auth } from '../../api/endpoints.js';
import { useSite } from '../../api/site.js';
import { useSubmit } from '../../api/use-submit.js';
import { PasswordField, SubmitButton, TextField } from '../../components/field.js';
import { usePageTitle } from '../../components/page.js';
import { Link, navigate, safeNext, useLocation } from '../../components/router.js';
import { FormAlert } from '../../components/states.js';
import { AuthCard } from './auth-card.js';
import { useSession } from './session.js';

export function LoginPage() {
  usePageTitle('Log in');
  const { query } = useLocation();
  const { session, signedIn } = useSession();
  // A demo install says how to look around; the server names it only while that login works.
  const demo = useSite()?.demoLogin ?? null;
  const [email, setEmail] = useState(query.get('email') ?? '');
  const [password, setPassword] = useState('');
  const { errors, alert, busy, submit } = useSubmit(
    LoginBody,
    () => ({ email, password }),
    async (data) => {
      signedIn(await auth.login(data));
      navigate(safeNext(query.get('next'), '/'), { replace: true });
    },
    { invalid: 'Check the highlighted fields.' },
  );

  const reason = session.status === 'anonymous' ? session.reason : undefined;
  const intro =
    query.get('welcome') === '1'
      ? 'If this email could be used, your account is ready and we have sent you a welcome email. Log in to continue.'
      : query.get('reset') === '1'
        ? 'Your password has been changed. Log in with your new password.'
        : query.get('deleted') === '1'
          ? 'Your account has been deleted. Thank you for being part of Rapport.'
          : reason === 'expired'
            ? 'Your session has ended. Log in again to continue.'
            : reason === 'logged-out'
              ? 'You have logged out. See you soon.'
              : 'Stay up to date with your professional world.';

  return (
    <AuthCard
      title="Log in"
      intro={intro}
      footer={
        <p>
          New to Rapport? <Link href="/signup">Join now</Link>
        </p>
      }
    >
      <form onSubmit={submit} noValidate>
        <FormAlert message={alert} />
        <TextField label="Email" type="email" name="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} required />
        <PasswordField
          label="Password"
          purpose="current"
          name="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.password}
        />
        <p className="form-aside">
          <Link href="/forgot-password">Forgot password?</Link>
        </p>
        <SubmitButton busy={busy} busyLabel="Logging in…" className="button button-primary button-block">Log in</SubmitButton>
        {demo && (
          <div className="demo-login" role="note">
            <p>
              This is a demo. Log in as <strong>{demo.email}</strong> with the password <strong>{demo.password}</strong>.
            </p>
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => {
                setEmail(demo.email);
                setPassword(demo.password);
              }}
            >
              Fill in the demo login
            </button>
          </div>
        )}
      </form>
    </AuthCard>
  );
}
