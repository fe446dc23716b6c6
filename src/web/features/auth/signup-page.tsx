import { useState } from 'react';
import { SignupBody } from '../../../contracts/auth.js';
import { auth } from '../../api/endpoints.js';
import { useSubmit } from '../../api/use-submit.js';
import { PasswordField, SubmitButton, TextField } from '../../components/field.js';
import { usePageTitle } from '../../components/page.js';
import { Link, navigate } from '../../components/router.js';
import { FormAlert } from '../../components/states.js';
import { AuthCard } from './auth-card.js';

/**
 * Signing up answers the same whether or not the email is taken, so we never log in automatically:
 * a failed automatic login would tell a stranger the address already has an account.
 */
export function SignupPage() {
  usePageTitle('Join Rapport');
  const [fullName, setFullName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { errors, alert, busy, submit } = useSubmit(
    SignupBody,
    () => ({ fullName, email, password }),
    async (data) => {
      await auth.signup(data);
      navigate(`/login?welcome=1&email=${encodeURIComponent(data.email)}`);
    },
    { invalid: 'Check the highlighted fields.' },
  );

  return (
    <AuthCard
      title="Join Rapport"
      intro="Make the most of your professional life."
      footer={
        <p>
          Already on Rapport? <Link href="/login">Log in</Link>
        </p>
      }
    >
      <form onSubmit={submit} noValidate>
        <FormAlert message={alert} />
        <TextField label="Full name" name="fullName" autoComplete="name" value={fullName} onChange={(e) => setFullName(e.target.value)} error={errors.fullName} required />
        <TextField label="Email" type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} required />
        <PasswordField
          label="Password"
          purpose="new"
          name="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.password}
        />
        <SubmitButton busy={busy} busyLabel="Creating your account…" className="button button-primary button-block">Agree & join</SubmitButton>
      </form>
    </AuthCard>
  );
}
