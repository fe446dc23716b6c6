/**
 * Settings → Account: the email address (changed by a link sent to the new one) and the password
 * (changing it signs out every other session, as GitHub does).
 */
import { useState } from 'react';
import { EmailChangeBody, PasswordChangeBody, type AccountSettings } from '../../../contracts/account.js';
import { account } from '../../api/account.js';
import { ApiError } from '../../api/client.js';
import { useResource } from '../../api/use-resource.js';
import { useSubmit } from '../../api/use-submit.js';
import { PasswordField, SubmitButton, TextField } from '../../components/field.js';
import { useNotice } from '../../components/notice.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { ErrorState, FormAlert, Loading } from '../../components/states.js';
import { formatDay } from '../../components/time.js';
import { SettingsLayout } from './settings-layout.js';

const wrongPassword = (field: string) => (error: unknown) =>
  error instanceof ApiError && error.code === 'WrongPassword' ? { errors: { [field]: 'This is not your current password.' }, alert: 'Check your current password.' } : undefined;

export function AccountPage() {
  usePageTitle('Account settings');
  const [settings, { reload, set }] = useResource('account-settings', () => account.get());
  return (
    <SettingsLayout current="account">
      <section className="card section" aria-labelledby="email-title">
        <p className="eyebrow">Settings</p>
        <PageHeading id="email-title">Email address</PageHeading>
        {settings.status === 'loading' && <Loading label="Loading your account" />}
        {settings.status === 'error' && <ErrorState error={settings.error} onRetry={reload} />}
        {settings.status === 'ready' && <EmailForm settings={settings.data} onChanged={set} />}
      </section>
      <section className="card section" aria-labelledby="password-title">
        <h2 id="password-title">Change password</h2>
        <PasswordForm />
      </section>
    </SettingsLayout>
  );
}

function EmailForm({ settings, onChanged }: { settings: AccountSettings; onChanged: (s: AccountSettings) => void }) {
  const announce = useNotice();
  const [newEmail, setNewEmail] = useState('');
  const [password, setPassword] = useState('');
  const { errors, alert, busy, submit } = useSubmit(
    EmailChangeBody,
    () => ({ newEmail, password }),
    async (data) => {
      const next = await account.changeEmail(data);
      onChanged(next);
      setNewEmail('');
      setPassword('');
      announce(`We sent a link to ${data.newEmail}. Your email changes when you open it.`);
    },
    {
      failed: (error) =>
        wrongPassword('password')(error) ??
        (error instanceof ApiError && (error.code === 'EmailTaken' || error.code === 'EmailUnchanged') ? { errors: { newEmail: error.message } } : undefined),
    },
  );
  const pending = settings.pendingEmail;
  return (
    <>
      <p>
        You sign in with <strong>{settings.email}</strong>, and Rapport writes to it. Member since {formatDay(settings.createdAt)}.
      </p>
      {pending && (
        <p className="callout" role="status">
          Waiting for you to confirm <strong>{pending.email}</strong>: open the link we sent there before {formatDay(pending.expiresAt)}. Until then,{' '}
          {settings.email} keeps working.
        </p>
      )}
      <form onSubmit={submit} noValidate className="settings-form">
        <FormAlert message={alert} />
        <TextField label="New email address" type="email" name="newEmail" autoComplete="email" value={newEmail} onChange={(e) => setNewEmail(e.target.value)} error={errors.newEmail} required />
        <PasswordField
          label="Current password"
          purpose="current"
          name="emailPassword"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.password}
        />
        <p className="muted">We send a confirmation link to the new address. Your old address is told once the change is made.</p>
        <SubmitButton busy={busy} busyLabel="Sending…">Send confirmation link</SubmitButton>
      </form>
    </>
  );
}

function PasswordForm() {
  const announce = useNotice();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const { errors, alert, busy, submit } = useSubmit(
    PasswordChangeBody,
    () => ({ currentPassword, newPassword }),
    async (data) => {
      const { signedOut } = await account.changePassword(data);
      setCurrent('');
      setNew('');
      setRepeat('');
      announce(signedOut === 0 ? 'Password changed.' : `Password changed. ${signedOut === 1 ? 'One other session was' : `${signedOut} other sessions were`} signed out.`);
    },
    {
      check: (found) => (!found.newPassword && newPassword !== repeat ? { repeat: 'The two passwords do not match.' } : undefined),
      failed: wrongPassword('currentPassword'),
    },
  );
  return (
    <form onSubmit={submit} noValidate className="settings-form">
      <FormAlert message={alert} />
      <PasswordField
        label="Current password"
        purpose="current"
        name="currentPassword"
        value={currentPassword}
        onChange={(e) => setCurrent(e.target.value)}
        error={errors.currentPassword}
      />
      <PasswordField
        label="New password"
        purpose="new"
        name="newPassword"
        value={newPassword}
        onChange={(e) => setNew(e.target.value)}
        error={errors.newPassword}
      />
      <PasswordField label="Repeat the new password" purpose="repeat" name="repeat" value={repeat} onChange={(e) => setRepeat(e.target.value)} error={errors.repeat} />
      <p className="muted">Every other session is signed out; this one stays. Your API tokens keep working.</p>
      <SubmitButton busy={busy} busyLabel="Changing…">Change password</SubmitButton>
    </form>
  );
}
