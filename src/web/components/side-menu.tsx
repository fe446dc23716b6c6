/**
 * A side menu beside the page (above it on phones): a titled nav list of links, the current one
 * marked with aria-current="page". Used by My Network and the admin console.
 */
import type { ReactNode } from 'react';
import { Link } from './router.js';

export interface SideMenuItem<K extends string> {
  key: K;
  href: string;
  label: string;
}

interface Props<K extends string> {
  /** Accessible name of the <nav>. */
  label: string;
  /** Visible title above the links. */
  title: string;
  items: readonly SideMenuItem<K>[];
  current: K;
  children: ReactNode;
}

export function SideMenuLayout<K extends string>({ label, title, items, current, children }: Props<K>) {
  return (
    <div className="network">
      <nav aria-label={label} className="card network-nav">
        <p className="network-nav-title">{title}</p>
        <ul>
          {items.map((item) => (
            <li key={item.key}>
              <Link href={item.href} className="network-nav-link" aria-current={current === item.key ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="stack network-main">{children}</div>
    </div>
  );
}
