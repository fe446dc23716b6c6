import { useState } from 'react';
import { PasswordResetBody, PasswordResetConfirmBody } from '../../../contracts/auth.js';
import { ApiError } from '../../api/client.js';
import { auth } from '../../api/endpoints.js';
import { useSubmit } from '../../api/use-submit.js';
import { PasswordField, SubmitButton, TextField } from '../../components/field.js';
import { usePageTitle } from '../../components/page.js';
import { Link, navigate, useLocation } from '../../components/router.js';
import { FormAlert } from '../../components/states.js';
import { AuthCard } from './auth-card.js';

const backToLogin = (
  <p>
    Remembered it? <Link href="/login">Log in</Link>
  </p>
);

export function ForgotPasswordPage() {
  usePageTitle('Forgot password');
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string>();
  const { errors, alert, busy, submit } = useSubmit(
    PasswordResetBody,
    () => ({ email }),
    async (data) => {
      const result = await auth.requestPasswordReset(data);
      setSent(result.message);
    },
    { invalid: 'Check the highlighted fields.' },
  );

  if (sent) {
    return (
      <AuthCard title="Check your email" footer={backToLogin}>
        <p role="status">{sent}</p>
        <p className="muted">
          The link works for an hour. Running Rapport locally? Open <a href="/dev/mail">Local mail (dev)</a> to read it.
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Forgot password" intro="Enter your email and we will send you a link to choose a new password." footer={backToLogin}>
      <form onSubmit={submit} noValidate>
        <FormAlert message={alert} />
        <TextField label="Email" type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} required />
        <SubmitButton busy={busy} busyLabel="Sending…" className="button button-primary button-block">Send reset link</SubmitButton>
      </form>
    </AuthCard>
  );
}

/** /reset-password?token=… from the email; without a token it is the "forgot password" form. */
export function ResetPasswordPage() {
  const { query } = useLocation();
  const token = query.get('token');
  return token ? <ChooseNewPassword token={token} /> : <ForgotPasswordPage />;
}

function ChooseNewPassword({ token }: { token: string }) {
  usePageTitle('Choose a new password');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [expired, setExpired] = useState(false);
  const { errors, alert, busy, submit } = useSubmit(
    PasswordResetConfirmBody,
    () => ({ token, password }),
    async (data) => {
      await auth.confirmPasswordReset(data);
      navigate('/login?reset=1', { replace: true });
    },
    {
      check: (found) => (!found.password && password !== repeat ? { repeat: 'The two passwords do not match.' } : undefined),
      invalid: (found) => (found.token ? 'This reset link is incomplete. Open the link from the email again.' : 'Check the highlighted fields.'),
      failed: (error) => setExpired(error instanceof ApiError && error.code === 'InvalidToken'),
    },
  );

  return (
    <AuthCard title="Choose a new password" intro="Saving a new password logs you out on every device; then log in with it." footer={backToLogin}>
      <form onSubmit={submit} noValidate>
        <FormAlert message={alert} />
        {expired && (
          <p>
            <Link href="/forgot-password">Ask for a new reset link</Link>
          </p>
        )}
        <PasswordField
          label="New password"
          purpose="new"
          name="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.password}
        />
        <PasswordField
          label="Repeat new password"
          purpose="repeat"
          name="repeat"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          error={errors.repeat}
        />
        <SubmitButton busy={busy} busyLabel="Saving…" className="button button-primary button-block">Save new password</SubmitButton>
      </form>
    </AuthCard>
  );
}
