/**
 * The moderation queue: open spam reports (uphold or dismiss), open appeals (accept or reject, with a
 * note the member sees) and the latest automatic enforcements (adjust the level by hand). A decided
 * item leaves its list.
 */
import { useState, type ReactNode } from 'react';
import type { z } from 'zod';
import type { AppealItem, EnforcementItem, SpamReportItem } from '../../../contracts/safety.js';
import { admin, type AppealPage, type EnforcementPage, type SpamReportPage } from '../../api/endpoints.js';
import { usePages, type PagesApi } from '../../api/use-pages.js';
import { useNotice } from '../../components/notice.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { PagedList } from '../../components/paged-list.js';
import { Link } from '../../components/router.js';
import { asSentence } from '../../components/sentence.js';
import { EmptyState } from '../../components/states.js';
import { Ago } from '../../components/time.js';
import { AdminLayout, LEVEL_NAMES } from './admin-layout.js';
import { DecisionDialog } from './decision-dialog.js';
import { LevelActions } from './level-actions.js';

type Report = z.infer<typeof SpamReportItem>;
type Appeal = z.infer<typeof AppealItem>;
type Enforcement = z.infer<typeof EnforcementItem>;

const person = (p: { id: string; fullName: string }) => <Link href={`/admin/members/${p.id}`}>{p.fullName}</Link>;

export function QueuePage() {
  usePageTitle('Moderation queue');
  const [reports, reportsApi] = usePages<Report, SpamReportPage>('admin:reports', (cursor) => admin.spamReports(cursor));
  const [appeals, appealsApi] = usePages<Appeal, AppealPage>('admin:appeals', (cursor) => admin.appeals(cursor));
  const [enforcements, enforcementsApi] = usePages<Enforcement, EnforcementPage>('admin:enforcements', (cursor) => admin.enforcements(cursor));
  return (
    <AdminLayout current="queue">
      <section className="card section" aria-labelledby="reports-title">
        <p className="eyebrow">Admin</p>
        <PageHeading>Moderation queue</PageHeading>
        <h2 id="reports-title" className="queue-title">
          Spam reports
        </h2>
        <PagedList
          pages={reports}
          api={reportsApi}
          loading="Loading spam reports…"
          errorTitle="We could not load the spam reports"
          className="queue"
          label="Open spam reports, oldest first"
          itemKey={(r) => r.id}
          render={(r) => <ReportRow r={r} api={reportsApi} />}
          empty={<EmptyState title="No open spam reports" />}
        />
      </section>
      <section className="card section" aria-labelledby="appeals-title">
        <h2 id="appeals-title">Appeals</h2>
        <PagedList
          pages={appeals}
          api={appealsApi}
          loading="Loading appeals…"
          errorTitle="We could not load the appeals"
          className="queue"
          label="Open appeals, oldest first"
          itemKey={(a) => a.id}
          render={(a) => <AppealRow a={a} api={appealsApi} />}
          empty={<EmptyState title="No open appeals" />}
        />
      </section>
      <section className="card section" aria-labelledby="auto-title">
        <h2 id="auto-title">Automatic enforcements</h2>
        <PagedList
          pages={enforcements}
          api={enforcementsApi}
          loading="Loading enforcements…"
          errorTitle="We could not load the enforcements"
          className="queue"
          label="Automatic enforcements, newest first"
          itemKey={(e) => e.id}
          render={(e) => <EnforcementRow e={e} onDone={enforcementsApi.reload} />}
          empty={<EmptyState title="No automatic enforcements yet" />}
        />
      </section>
    </AdminLayout>
  );
}

function Row({ children, actions }: { children: ReactNode; actions: ReactNode }) {
  return (
    <li className="queue-item">
      <div className="queue-main">{children}</div>
      {actions}
    </li>
  );
}

function ReportRow({ r, api }: { r: Report; api: PagesApi<Report> }) {
  const announce = useNotice();
  const [open, setOpen] = useState<'uphold' | 'dismiss'>();
  return (
    <Row
      actions={
        <div className="admin-actions">
          <button type="button" className="button button-primary button-small" aria-label={`Uphold report against ${r.sender.fullName}`} onClick={() => setOpen('uphold')}>
            Uphold
          </button>
          <button type="button" className="button button-secondary button-small" aria-label={`Dismiss report against ${r.sender.fullName}`} onClick={() => setOpen('dismiss')}>
            Dismiss
          </button>
          {open && (
            <DecisionDialog
              title={open === 'uphold' ? `Uphold this report against ${r.sender.fullName}?` : 'Dismiss this report?'}
              intro={open === 'uphold' ? 'An upheld report counts against the sender’s account health.' : 'The report will no longer count against the sender.'}
              label="Reason"
              submitLabel={open === 'uphold' ? 'Uphold' : 'Dismiss'}
              onClose={() => setOpen(undefined)}
              onSubmit={async (reason) => {
                await admin.decideReport(r.id, open, reason);
                setOpen(undefined);
                api.update((items) => items.filter((i) => i.id !== r.id));
                announce(open === 'uphold' ? `Report against ${r.sender.fullName} upheld.` : 'Report dismissed.');
              }}
            />
          )}
        </div>
      }
    >
      <p>
        <strong>{person(r.reporter)}</strong> reported an invitation from <strong>{person(r.sender)}</strong> as spam.
      </p>
      <p className="muted">
        <Ago iso={r.createdAt} />
      </p>
    </Row>
  );
}

function AppealRow({ a, api }: { a: Appeal; api: PagesApi<Appeal> }) {
  const announce = useNotice();
  const [open, setOpen] = useState<'accept' | 'reject'>();
  return (
    <Row
      actions={
        <div className="admin-actions">
          <button type="button" className="button button-primary button-small" aria-label={`Accept appeal from ${a.member.fullName}`} onClick={() => setOpen('accept')}>
            Accept
          </button>
          <button type="button" className="button button-secondary button-small" aria-label={`Reject appeal from ${a.member.fullName}`} onClick={() => setOpen('reject')}>
            Reject
          </button>
          {open && (
            <DecisionDialog
              title={open === 'accept' ? `Accept ${a.member.fullName}’s appeal?` : `Reject ${a.member.fullName}’s appeal?`}
              intro={open === 'accept' ? 'Accepting lifts the enforcement and starts the member’s signals over.' : 'The enforcement stays in place.'}
              label="Note to the member"
              submitLabel={open === 'accept' ? 'Accept appeal' : 'Reject appeal'}
              onClose={() => setOpen(undefined)}
              onSubmit={async (note) => {
                await admin.decideAppeal(a.id, open, note);
                setOpen(undefined);
                api.update((items) => items.filter((i) => i.id !== a.id));
                announce(open === 'accept' ? `Appeal accepted: ${a.member.fullName} is back in good standing.` : 'Appeal rejected.');
              }}
            />
          )}
        </div>
      }
    >
      <p>
        <strong>{person(a.member)}</strong> appeals: {LEVEL_NAMES[a.enforcement.level]} — {asSentence(a.enforcement.reason)}
      </p>
      <blockquote className="note">
        <p>{a.message}</p>
      </blockquote>
      <p className="muted">
        <Ago iso={a.createdAt} />
      </p>
    </Row>
  );
}

function EnforcementRow({ e, onDone }: { e: Enforcement; onDone: () => void }) {
  return (
    <Row actions={<LevelActions member={e.member} onDone={onDone} />}>
      <p>
        <strong>{person(e.member)}</strong>: {LEVEL_NAMES[e.from]} → <strong>{LEVEL_NAMES[e.to]}</strong>
      </p>
      <p className="muted">
        {e.reason} · <Ago iso={e.createdAt} />
      </p>
    </Row>
  );
}
