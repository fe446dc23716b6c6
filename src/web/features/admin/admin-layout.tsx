/** The admin console: a side menu (Moderation queue, Members, Audit log) beside the page; above it on phones. */
import type { ReactNode } from 'react';
import { SideMenuLayout, type SideMenuItem } from '../../components/side-menu.js';

export type AdminSection = 'queue' | 'members' | 'audit';

const ADMIN_MENU: readonly SideMenuItem<AdminSection>[] = [
  { key: 'queue', href: '/admin/queue', label: 'Moderation queue' },
  { key: 'members', href: '/admin/members', label: 'Members' },
  { key: 'audit', href: '/admin/audit', label: 'Audit log' },
];

export function AdminLayout({ current, children }: { current: AdminSection; children: ReactNode }) {
  return (
    <SideMenuLayout label="Admin" title="Admin console" items={ADMIN_MENU} current={current}>
      {children}
    </SideMenuLayout>
  );
}

export const LEVEL_NAMES = { none: 'Good standing', warned: 'Warned', restricted: 'Restricted', suspended: 'Suspended' } as const;
