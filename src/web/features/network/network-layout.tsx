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
