/** Admin → the audit log: every admin and automatic action, newest first. */
import type { z } from 'zod';
import type { AuditItem } from '../../../contracts/safety.js';
import { admin, type AuditPage as Page } from '../../api/endpoints.js';
import { usePages } from '../../api/use-pages.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { PagedList } from '../../components/paged-list.js';
import { Link } from '../../components/router.js';
import { EmptyState } from '../../components/states.js';
import { Ago } from '../../components/time.js';
import { AdminLayout } from './admin-layout.js';

type Item = z.infer<typeof AuditItem>;

/** "report.upheld" → "Report upheld". */
const words = (action: string) => {
  const text = action.replace(/[._]/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

export function AuditPage() {
  usePageTitle('Audit log');
  const [pages, api] = usePages<Item, Page>('admin:audit', (cursor) => admin.audit(cursor));
  return (
    <AdminLayout current="audit">
      <section className="card section" aria-labelledby="audit-title">
        <p className="eyebrow">Admin</p>
        <PageHeading id="audit-title">Audit log</PageHeading>
        <p className="muted">Every decision, by an admin or automatic, newest first.</p>
        <PagedList
          pages={pages}
          api={api}
          loading="Loading the audit log…"
          errorTitle="We could not load the audit log"
          className="queue"
          label="Audit log, newest first"
          itemKey={(a) => a.id}
          render={(a) => (
            <li className="queue-item">
              <div className="queue-main">
                <p>
                  <strong>{words(a.action)}</strong>
                  {a.subjectId && (
                    <>
                      {' '}
                      · <Link href={`/admin/members/${a.subjectId}`}>{a.subjectName ?? 'View member'}</Link>
                    </>
                  )}
                </p>
                <p>{a.actorName === null ? 'Automatic' : `By ${a.actorName}`}</p>
                <p className="muted">
                  {a.reason} · <Ago iso={a.at} />
                </p>
              </div>
            </li>
          )}
          empty={<EmptyState title="Nothing in the audit log yet" />}
        />
      </section>
    </AdminLayout>
  );
}
