/** My Network: a short side menu (Invitations, Connections, Account health) beside the page; above it on phones. */
import type { ReactNode } from 'react';
import { Link } from '../../routes/router.js';

export function NetworkLayout({ current, children }: { current: 'invitations' | 'connections' | 'health'; children: ReactNode }) {
  const item = (key: typeof current, href: string, label: string) => (
    <li>
      <Link href={href} className="network-nav-link" aria-current={current === key ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
  return (
    <div className="network">
      <nav aria-label="My Network" className="card network-nav">
        <p className="network-nav-title">Manage my network</p>
        <ul>
          {item('invitations', '/mynetwork/invitations', 'Invitations')}
          {item('connections', '/mynetwork/connections', 'Connections')}
          {item('health', '/mynetwork/health', 'Account health')}
        </ul>
      </nav>
      <div className="stack network-main">{children}</div>
    </div>
  );
}

/** The one cooldown the web app states; the server's INVITE_COOLDOWN_DAYS default (not exposed by the API). */
export const COOLDOWN_DAYS = 21;

/** "Ada", for sentences like "Ada won’t be told". */
export function firstName(fullName: string): string {
  return fullName.trim().split(/\s+/)[0] ?? fullName;
}
