/** Settings: a side menu (Account, Sessions, Your data, Delete account, API tokens, Email) beside the page; above it on phones. */
import type { ReactNode } from 'react';
import { SideMenuLayout, type SideMenuItem } from '../../components/side-menu.js';

export type SettingsSection = 'account' | 'sessions' | 'data' | 'delete' | 'tokens' | 'email';

const SETTINGS_MENU: readonly SideMenuItem<SettingsSection>[] = [
  { key: 'account', href: '/settings/account', label: 'Account' },
  { key: 'sessions', href: '/settings/sessions', label: 'Sessions' },
  { key: 'email', href: '/settings/email', label: 'Email' },
  { key: 'tokens', href: '/settings/tokens', label: 'API tokens' },
  { key: 'data', href: '/settings/data', label: 'Your data' },
  { key: 'delete', href: '/settings/delete', label: 'Delete account' },
];

export function SettingsLayout({ current, children }: { current: SettingsSection; children: ReactNode }) {
  return (
    <SideMenuLayout label="Settings" title="Settings" items={SETTINGS_MENU} current={current}>
      {children}
    </SideMenuLayout>
  );
}
