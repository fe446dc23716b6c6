/**
 * Admin → one member's standing: level and why (as of the last scheduled evaluation), the live
 * signals the next evaluation will judge and what it would set, the history, and the level actions.
 */
import { ApiError } from '../../api/client.js';
import { admin, type MemberModeration } from '../../api/endpoints.js';
import { useResource } from '../../api/use-resource.js';
import { Avatar } from '../../components/avatar.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { Link } from '../../components/router.js';
import { EmptyState, ErrorState, Loading } from '../../components/states.js';
import { Ago, formatDay } from '../../components/time.js';
import { AdminLayout, LEVEL_NAMES } from './admin-layout.js';
import { LevelActions } from './level-actions.js';

export function AdminMemberPage({ id }: { id: string }) {
  const [state, { reload }] = useResource(`admin:member:${id}`, () => admin.member(id));
  usePageTitle(state.status === 'ready' ? `${state.data.member.fullName} · Admin` : 'Member · Admin');
  return (
    <AdminLayout current="members">
      {state.status === 'loading' && <Loading label="Loading this member…" />}
      {state.status === 'error' && (
        <ErrorState
          page
          title={state.error instanceof ApiError && state.error.code === 'MemberNotFound' ? 'This member does not exist' : 'We could not load this member'}
          error={state.error}
          onRetry={reload}
        >
          <p>
            <Link href="/admin/members">Look members up</Link>
          </p>
        </ErrorState>
      )}
      {state.status === 'ready' && <Detail m={state.data} onChange={reload} />}
    </AdminLayout>
  );
}

function Detail({ m, onChange }: { m: MemberModeration; onChange: () => void }) {
  const s = m.signals;
  return (
    <>
      <section className="card section" aria-labelledby="member-title">
        <div className="admin-member-head">
          <Avatar id={m.member.id} name={m.member.fullName} size="md" />
          <div>
            <p className="eyebrow">Admin · member</p>
            <PageHeading id="member-title">{m.member.fullName}</PageHeading>
            <p className="muted">
              {m.member.email} · {m.member.role === 'admin' ? 'Administrator' : 'Member'} · <Link href={`/in/${m.member.id}`}>Profile</Link>
            </p>
          </div>
        </div>
        <p>
          <span className={m.level === 'none' ? 'level-tag' : 'level-tag level-tag-warn'}>{LEVEL_NAMES[m.level]}</span> {m.reason}
          {m.suspendedUntil && <> · until {formatDay(m.suspendedUntil)}</>}
        </p>
        <p className="muted">
          {m.evaluatedAt ? (
            <>
              Level as of the last evaluation, <Ago iso={m.evaluatedAt} />.
            </>
          ) : (
            'Not evaluated yet.'
          )}{' '}
          {m.nextLevel !== m.level
            ? `On the signals below, the next scheduled evaluation sets: ${LEVEL_NAMES[m.nextLevel]}.`
            : 'The signals below are live; the member sees them, as bands, only after the next scheduled evaluation.'}
        </p>
        <dl className="stats">
          <div>
            <dt>Said they don’t know them</dt>
            <dd>{s.idkRecipients}</dd>
          </div>
          <div>
            <dt>Upheld spam reports</dt>
            <dd>{s.spamUpheld}</dd>
          </div>
          <div>
            <dt>Accepted, of latest answered</dt>
            <dd>
              {s.accepted} of {s.sample}
            </dd>
          </div>
          <div>
            <dt>Unaccepted invitations beyond the network, 7 days</dt>
            <dd>{s.beyondNetwork}</dd>
          </div>
          <div>
            <dt>New signals at this level</dt>
            <dd>{s.newSinceLevel}</dd>
          </div>
        </dl>
        <h2 className="health-sub">Change the level</h2>
        <LevelActions member={m.member} level={m.level} onDone={onChange} />
      </section>
      <section className="card section" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        {m.history.length === 0 ? (
          <EmptyState title="No enforcements yet" />
        ) : (
          <ul className="queue">
            {m.history.map((h) => (
              <li key={h.id} className="queue-item">
                <div className="queue-main">
                  <p>
                    {LEVEL_NAMES[h.from]} → <strong>{LEVEL_NAMES[h.to]}</strong> · {h.source === 'auto' ? 'automatic' : 'by an admin'}
                  </p>
                  <p className="muted">
                    {h.reason} · <Ago iso={h.createdAt} />
                  </p>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
