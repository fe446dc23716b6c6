/** My Network: a short side menu (Invitations, Connections, Account health) beside the page; above it on phones. */
import type { ReactNode } from 'react';
import { SideMenuLayout, type SideMenuItem } from '../../components/side-menu.js';

type NetworkSection = 'invitations' | 'connections' | 'health';

const NETWORK_MENU: readonly SideMenuItem<NetworkSection>[] = [
  { key: 'invitations', href: '/mynetwork/invitations', label: 'Invitations' },
  { key: 'connections', href: '/mynetwork/connections', label: 'Connections' },
  { key: 'health', href: '/mynetwork/health', label: 'Account health' },
];

export function NetworkLayout({ current, children }: { current: NetworkSection; children: ReactNode }) {
  return (
    <SideMenuLayout label="My Network" title="Manage my network" items={NETWORK_MENU} current={current}>
      {children}
    </SideMenuLayout>
  );
}

/** The one cooldown the web app states; the server's INVITE_COOLDOWN_DAYS default (not exposed by the API). */
export const COOLDOWN_DAYS = 21;

/** "Ada", for sentences like "Ada won’t be told". */
export function firstName(fullName: string): string {
  return fullName.trim().split(/\s+/)[0] ?? fullName;
}
