/**
 * My Network → Invitations: Received (the inbox), Sent (pending) and Archived (ignored), each a
 * link-tab with its count. The counts come with every list page and are asked for again after
 * each action, so tabs and the top-bar badge agree with the server. Received is My Network's main
 * page: people you may know follow the invitations, as on LinkedIn.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { invitations } from '../../api/endpoints.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { Link } from '../../components/router.js';
import { setInboxCount } from '../relationships/inbox-count.js';
import { NetworkLayout } from './network-layout.js';
import { ReceivedList } from './received-list.js';
import { SentList } from './sent-list.js';
import { PeopleYouMayKnow } from './suggestions.js';

export type InvitationTab = 'received' | 'sent' | 'archived';

interface Counts {
  inbox?: number;
  archived?: number;
  sent?: number;
}

const TITLES: Record<InvitationTab, string> = { received: 'Invitations', sent: 'Sent invitations', archived: 'Archived invitations' };

export function InvitationsPage({ tab }: { tab: InvitationTab }) {
  usePageTitle(TITLES[tab]);
  const [counts, setCounts] = useState<Counts>({});

  const refreshCounts = useCallback(async () => {
    const [received, sent] = await Promise.allSettled([invitations.received('inbox', undefined, 1), invitations.sent(undefined, 1)]);
    if (received.status === 'fulfilled') setInboxCount(received.value.counts.inbox);
    setCounts((c) => ({
      ...c,
      ...(received.status === 'fulfilled' ? received.value.counts : {}),
      ...(sent.status === 'fulfilled' ? { sent: sent.value.counts.pending } : {}),
    }));
  }, []);
  useEffect(() => {
    void refreshCounts();
  }, [refreshCounts]);
  const onReceivedCounts = useCallback((c: { inbox: number; archived: number }) => setCounts((old) => ({ ...old, ...c })), []);
  const onSentCount = useCallback((pending: number) => setCounts((old) => ({ ...old, sent: pending })), []);
  const changed = () => void refreshCounts();

  return (
    <NetworkLayout current="invitations">
      <section className="card" aria-labelledby="invitations-title">
        <div className="section invitations-head">
          <PageHeading id="invitations-title">Invitations</PageHeading>
        </div>
        <nav aria-label="Invitation folders" className="tabs">
          <ul>
            <Tab href="/mynetwork/invitations" current={tab === 'received'} count={counts.inbox}>
              Received
            </Tab>
            <Tab href="/mynetwork/invitations/sent" current={tab === 'sent'} count={counts.sent}>
              Sent
            </Tab>
            <Tab href="/mynetwork/invitations/archived" current={tab === 'archived'} count={counts.archived}>
              Archived
            </Tab>
          </ul>
        </nav>
        <div className="section tab-panel">
          {tab === 'sent' ? (
            <SentList onCount={onSentCount} onChanged={changed} />
          ) : (
            <ReceivedList key={tab} folder={tab === 'received' ? 'inbox' : 'archived'} onCounts={onReceivedCounts} onChanged={changed} />
          )}
        </div>
      </section>
      {tab === 'received' && <PeopleYouMayKnow onInvited={changed} />}
    </NetworkLayout>
  );
}

function Tab({ href, current, count, children }: { href: string; current: boolean; count: number | undefined; children: ReactNode }) {
  return (
    <li>
      <Link href={href} className="tab" aria-current={current ? 'page' : undefined}>
        {children}
        {count !== undefined && <span className="tab-count">{count}</span>}
      </Link>
    </li>
  );
}
