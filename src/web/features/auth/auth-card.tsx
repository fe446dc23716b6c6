import type { ReactNode } from 'react';
import { PageHeading } from '../../components/page.js';

/** The narrow centred card the signed-out pages share. */
export function AuthCard({ title, intro, children, footer }: { title: string; intro?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="auth">
      <section className="card auth-card" aria-labelledby="auth-title">
        <PageHeading id="auth-title">{title}</PageHeading>
        {intro && <p className="muted">{intro}</p>}
        {children}
      </section>
      {footer && <div className="auth-footer">{footer}</div>}
    </div>
  );
}
