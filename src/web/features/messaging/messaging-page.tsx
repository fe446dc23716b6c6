/**
 * Messaging: every conversation with at least one message, newest activity first; each shows the
 * other member, the last message and how many are unread, and opens the thread.
 */
import type { Conversation } from '../../../contracts/messaging.js';
import { conversations, type ConversationsPage } from '../../api/endpoints.js';
import { usePages } from '../../api/use-pages.js';
import { Avatar } from '../../components/avatar.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { PagedList } from '../../components/paged-list.js';
import { Link } from '../../components/router.js';
import { EmptyState } from '../../components/states.js';
import { Ago } from '../../components/time.js';
import { useMe } from '../auth/session.js';
import { setUnreadCounts, useUnreadCounts } from '../notifications/unread-counts.js';

export function MessagingPage() {
  usePageTitle('Messaging');
  const me = useMe();
  const counts = useUnreadCounts(me.id);
  const [pages, api] = usePages<Conversation, ConversationsPage>('conversations', (cursor) => conversations.list(cursor), (page) => {
    // The list knows the messaging badge too: keep the top bar in step with what the page shows.
    if (counts) setUnreadCounts({ ...counts, unreadConversations: page.counts.unread });
  });
  const unread = pages.status === 'ready' ? pages.items.filter((c) => c.unreadCount > 0).length : 0;

  return (
    <section className="card section" aria-labelledby="messaging-title">
      <PageHeading id="messaging-title">Messaging</PageHeading>
      {pages.status === 'ready' && pages.items.length > 0 && (
        <p className="muted">{unread === 0 ? 'No unread messages.' : `${unread} ${unread === 1 ? 'conversation has' : 'conversations have'} unread messages.`}</p>
      )}
      <PagedList
        pages={pages}
        api={api}
        loading="Loading your conversations…"
        errorTitle="We could not load your conversations"
        className="conversations"
        label="Conversations, most recent first"
        itemKey={(c) => c.id}
        render={(c) => <ConversationRow c={c} myId={me.id} />}
        empty={
          <EmptyState title="No messages yet">
            <p>
              Message one of your <Link href="/mynetwork/connections">connections</Link>, or reply to an <Link href="/mynetwork/invitations">invitation</Link> to start a conversation.
            </p>
          </EmptyState>
        }
      />
    </section>
  );
}

function ConversationRow({ c, myId }: { c: Conversation; myId: string }) {
  const unread = c.unreadCount > 0;
  const last = c.lastMessage;
  return (
    <li className={unread ? 'conversation conversation-unread' : 'conversation'}>
      <Avatar id={c.member.id} name={c.member.fullName} size="md" />
      <Link href={`/messaging/${c.id}`} className="conversation-link">
        <span className="conversation-top">
          <span className="conversation-name">{c.member.fullName}</span>
          <span className="conversation-time">
            <Ago iso={c.lastActivityAt} />
          </span>
        </span>
        <span className="conversation-preview">
          {last ? `${last.senderId === myId ? 'You: ' : ''}${last.preview}` : 'No messages yet'}
        </span>
        {unread && (
          <span className="count-badge">
            {c.unreadCount}
            <span className="visually-hidden"> unread {c.unreadCount === 1 ? 'message' : 'messages'}</span>
          </span>
        )}
      </Link>
    </li>
  );
}
