/**
 * Settings → Delete account. States, before asking for the password, exactly what happens (the
 * server's AccountDeletionService does the same, docs/security.md "Deleting an account").
 */
import { useState } from 'react';
import { AccountDeleteBody } from '../../../contracts/account.js';
import { account } from '../../api/account.js';
import { ApiError } from '../../api/client.js';
import { useSubmit } from '../../api/use-submit.js';
import { PasswordField, SubmitButton } from '../../components/field.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { Link, navigate } from '../../components/router.js';
import { FormAlert } from '../../components/states.js';
import { useSession } from '../auth/session.js';
import { SettingsLayout } from './settings-layout.js';

export function DeleteAccountPage() {
  usePageTitle('Delete account');
  const { signedOut } = useSession();
  const [password, setPassword] = useState('');
  const [understood, setUnderstood] = useState(false);
  const { errors, alert, busy, submit } = useSubmit(
    AccountDeleteBody,
    () => ({ password }),
    async (data) => {
      await account.delete(data);
      signedOut();
      navigate('/login?deleted=1', { replace: true });
    },
    {
      check: () => (understood ? undefined : { understood: 'Tick this box to confirm you understand.' }),
      failed: (error) => (error instanceof ApiError && error.code === 'WrongPassword' ? { errors: { password: 'This is not your password.' }, alert: 'Check your password.' } : undefined),
    },
  );
  return (
    <SettingsLayout current="delete">
      <section className="card section" aria-labelledby="delete-title">
        <p className="eyebrow">Settings</p>
        <PageHeading id="delete-title">Delete your account</PageHeading>
        <p>
          This can’t be undone. Want a copy first? <Link href="/settings/data">Download your data</Link>.
        </p>
        <h2>What happens</h2>
        <ul className="plain-list effects">
          <li>Your profile, experience, education and skills are erased. Nobody can find you or open your profile.</li>
          <li>Invitations you sent that are still waiting are withdrawn. Invitations waiting for you close as expired.</li>
          <li>Your connections are removed. Nobody is notified.</li>
          <li>Messages you sent stay in the other person’s conversation, shown as from “Deleted member”. Nobody can message you.</li>
          <li>Your notifications, sessions and API tokens end; scripts using your tokens stop working.</li>
          <li>Your email address is freed: you could use it for a new account later. We send it one last email to confirm the deletion.</li>
        </ul>
        <form onSubmit={submit} noValidate className="settings-form">
          <FormAlert message={alert} />
          <PasswordField label="Your password" purpose="current" name="password" value={password} onChange={(e) => setPassword(e.target.value)} error={errors.password} />
          <div className={`field${errors.understood ? ' field-invalid' : ''}`}>
            <label className="checkbox">
              <input type="checkbox" name="understood" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} aria-describedby={errors.understood ? 'understood-error' : undefined} />{' '}
              I understand that my account and profile are deleted for good.
            </label>
            {errors.understood && (
              <p className="field-error" id="understood-error">
                {errors.understood}
              </p>
            )}
          </div>
          <SubmitButton busy={busy} busyLabel="Deleting…" className="button button-danger">Delete my account</SubmitButton>
        </form>
      </section>
    </SettingsLayout>
  );
}
