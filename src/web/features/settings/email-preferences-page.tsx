/**
 * Settings → Email: one switch per optional category. Account emails (password reset, sign-up
 * notices) always go out. The unsubscribe link in every email turns off the same switches.
 */
import type { EmailPreferences } from '../../../contracts/email.js';
import { emailPreferences } from '../../api/endpoints.js';
import { useResource } from '../../api/use-resource.js';
import { useAction } from '../../api/use-submit.js';
import { useNotice } from '../../components/notice.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { Link } from '../../components/router.js';
import { ErrorState, FormAlert, Loading } from '../../components/states.js';
import { SettingsLayout } from './settings-layout.js';

const CATEGORIES: Array<{ key: keyof EmailPreferences; label: string; hint: string }> = [
  { key: 'invitations', label: 'Invitation', hint: 'When someone invites you to connect, and when someone accepts your invitation.' },
  { key: 'reminders', label: 'Reminder', hint: 'A daily digest about invitations still waiting for you; at most two per invitation.' },
  { key: 'messages', label: 'Message', hint: 'A digest of new messages you have not read yet.' },
];

export function EmailPreferencesPage() {
  usePageTitle('Email preferences');
  const announce = useNotice();
  const [prefs, { reload, set }] = useResource('email-preferences', () => emailPreferences.get());
  const { busy: saving, error, run } = useAction();

  const toggle = (key: keyof EmailPreferences, value: boolean) =>
    run(async () => {
      set(await emailPreferences.update({ [key]: value }));
      announce(`${CATEGORIES.find((c) => c.key === key)?.label ?? 'Email'} emails turned ${value ? 'on' : 'off'}.`);
    });

  return (
    <SettingsLayout current="email">
      <section className="card section">
        <p className="eyebrow">Settings</p>
        <PageHeading>Email preferences</PageHeading>
        <p className="muted">
          Choose which emails Rapport sends you. Emails about your account, such as password resets, always go out. Your{' '}
          <Link href="/settings/tokens">API tokens</Link> are in settings too.
        </p>
        {prefs.status === 'loading' && <Loading label="Loading your email preferences" />}
        {prefs.status === 'error' && <ErrorState error={prefs.error} onRetry={reload} />}
        {prefs.status === 'ready' && (
          <fieldset disabled={saving} className="switches">
            <legend className="visually-hidden">Email categories</legend>
            {CATEGORIES.map((c) => (
              <p key={c.key}>
                <label>
                  <input type="checkbox" checked={prefs.data[c.key]} onChange={(e) => void toggle(c.key, e.target.checked)} /> <strong>{c.label} emails</strong>
                </label>
                <br />
                <span className="muted">{c.hint}</span>
              </p>
            ))}
          </fieldset>
        )}
        <FormAlert message={error} />
      </section>
    </SettingsLayout>
  );
}
