/** The admin console: a side menu (Moderation queue, Members, Audit log) beside the page; above it on phones. */
import type { ReactNode } from 'react';
import { Link } from '../../routes/router.js';

export type AdminSection = 'queue' | 'members' | 'audit';

export function AdminLayout({ current, children }: { current: AdminSection; children: ReactNode }) {
  const item = (key: AdminSection, href: string, label: string) => (
    <li>
      <Link href={href} className="network-nav-link" aria-current={current === key ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
  return (
    <div className="network">
      <nav aria-label="Admin" className="card network-nav">
        <p className="network-nav-title">Admin console</p>
        <ul>
          {item('queue', '/admin/queue', 'Moderation queue')}
          {item('members', '/admin/members', 'Members')}
          {item('audit', '/admin/audit', 'Audit log')}
        </ul>
      </nav>
      <div className="stack network-main">{children}</div>
    </div>
  );
}

export const LEVEL_NAMES = { none: 'Good standing', warned: 'Warned', restricted: 'Restricted', suspended: 'Suspended' } as const;
