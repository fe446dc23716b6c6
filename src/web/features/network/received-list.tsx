/**
 * Received invitations, as LinkedIn shows them: the inbox (pending) or Archived (ignored), newest
 * first, a page at a time. Each page brings the folder counts for the tabs and the top-bar badge.
 */
import type { ReceivedInvitation } from '../../../contracts/invitations.js';
import { invitations, type ReceivedPage } from '../../api/endpoints.js';
import { usePages } from '../../api/use-pages.js';
import { PagedList } from '../../components/paged-list.js';
import { EmptyState } from '../../components/states.js';
import { setInboxCount } from '../relationships/inbox-count.js';
import { ArchivedRow } from './archived-row.js';
import { InboxRow } from './inbox-row.js';

interface ListProps {
  folder: 'inbox' | 'archived';
  onCounts: (counts: { inbox: number; archived: number }) => void;
  /** Something changed on the server: counts need asking again. */
  onChanged: () => void;
}

export function ReceivedList({ folder, onCounts, onChanged }: ListProps) {
  const [pages, api] = usePages<ReceivedInvitation, ReceivedPage>(
    `received:${folder}`,
    (cursor) => invitations.received(folder, cursor),
    (page) => {
      onCounts(page.counts);
      setInboxCount(page.counts.inbox);
    },
  );
  const inbox = folder === 'inbox';
  return (
    <>
      <h2 className="visually-hidden">{inbox ? 'Received invitations' : 'Archived invitations'}</h2>
      <PagedList
        pages={pages}
        api={api}
        loading={inbox ? 'Loading your invitations…' : 'Loading archived invitations…'}
        errorTitle="We could not load your invitations"
        className="invites"
        itemKey={(i) => i.id}
        render={(i) => (inbox ? <InboxRow invitation={i} onChanged={onChanged} /> : <ArchivedRow invitation={i} onChanged={onChanged} />)}
        empty={
          inbox ? (
            <EmptyState title="No invitations waiting">
              <p>When someone invites you to connect, it shows up here.</p>
            </EmptyState>
          ) : (
            <EmptyState title="Nothing in Archived">
              <p>Invitations you ignore are kept here. The sender is never told, and you can still accept them later.</p>
            </EmptyState>
          )
        }
      />
    </>
  );
}
