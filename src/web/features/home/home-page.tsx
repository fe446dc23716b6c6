/**
 * Home, the member's landing page: what needs their attention, from one request (GET /api/me/home).
 * Three counts at a glance (invitations waiting, unread conversations, unread notifications), the
 * latest invitations and conversations, and a few people you may know. While it loads, every part
 * keeps its final size (placeholder rows of the same height), so nothing moves when it arrives.
 */
import type { ReactNode } from 'react';
import type { ReceivedInvitation } from '../../../contracts/invitations.js';
import type { Conversation } from '../../../contracts/messaging.js';
import { home, type Home } from '../../api/endpoints.js';
import { useResource } from '../../api/use-resource.js';
import { Avatar } from '../../components/avatar.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { mutualConnections, PersonLine } from '../../components/person.js';
import { Link } from '../../components/router.js';
import { firstName } from '../../components/sentence.js';
import { ErrorState } from '../../components/states.js';
import { SuggestedPerson } from '../../components/suggested-person.js';
import { Ago } from '../../components/time.js';
import { useMe } from '../auth/session.js';
import './home.css';

const ROWS = 3;
const CARDS = 4;

export function HomePage() {
  usePageTitle('Home');
  const me = useMe();
  const [resource, { reload }] = useResource(`home.${me.id}`, () => home.get());
  const data = resource.status === 'ready' ? resource.data : undefined;

  return (
    <div className="home" aria-busy={resource.status === 'loading'}>
      <div className="card section home-welcome">
        <PageHeading>Welcome back, {firstName(me.fullName)}</PageHeading>
        <Glance data={data} />
      </div>
      {resource.status === 'error' ? (
        <ErrorState title="We could not load your Home page" error={resource.error} onRetry={reload} />
      ) : (
        <>
          <div className="home-columns">
            <HomeSection
              id="home-invitations"
              title="Invitations"
              more={data && data.invitations.waiting > 0 ? { href: '/mynetwork/invitations', label: `See all ${data.invitations.waiting}` } : undefined}
            >
              <Rows items={data?.invitations.latest} empty="No invitations waiting. New ones appear here." render={(i) => <InvitationRow invitation={i} />} />
            </HomeSection>
            <HomeSection id="home-messages" title="Messages" more={data && data.messages.latest.length > 0 ? { href: '/messaging', label: 'Open messaging' } : undefined}>
              <Rows items={data?.messages.latest} empty="No conversations yet. Message a connection to start one." render={(c) => <ConversationRow conversation={c} myId={me.id} />} />
            </HomeSection>
          </div>
          <HomeSection id="home-pymk" title="People you may know" more={{ href: '/mynetwork/invitations', label: 'See more' }}>
            <Suggestions data={data} />
          </HomeSection>
        </>
      )}
    </div>
  );
}

function Glance({ data }: { data: Home | undefined }) {
  const tiles: Array<{ href: string; count: number | undefined; one: string; many: string }> = [
    { href: '/mynetwork/invitations', count: data?.invitations.waiting, one: 'invitation waiting', many: 'invitations waiting' },
    { href: '/messaging', count: data?.messages.unreadConversations, one: 'unread conversation', many: 'unread conversations' },
    { href: '/notifications', count: data?.notifications.unread, one: 'unread notification', many: 'unread notifications' },
  ];
  return (
    <ul className="home-glance" aria-label="At a glance">
      {tiles.map((t) => (
        <li key={t.href}>
          <Link href={t.href} className={t.count ? 'glance glance-active' : 'glance'}>
            <span className="glance-count">{t.count ?? '–'}</span>
            <span className="glance-label">{t.count === 1 ? t.one : t.many}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function HomeSection({ id, title, more, children }: { id: string; title: string; more?: { href: string; label: string } | undefined; children: ReactNode }) {
  return (
    <section className="card section home-section" aria-labelledby={id}>
      <div className="section-head">
        <h2 id={id}>{title}</h2>
        {more && (
          <Link href={more.href} className="home-more">
            {more.label}
            <span className="visually-hidden"> {title.toLowerCase()}</span>
          </Link>
        )}
      </div>
      {children}
    </section>
  );
}

/** Up to ROWS rows; placeholders of the same height until the data is here. */
function Rows<T extends { id: string }>({ items, empty, render }: { items: T[] | undefined; empty: string; render: (item: T) => ReactNode }) {
  if (!items) {
    return (
      <ul className="home-rows" aria-hidden="true">
        {Array.from({ length: ROWS }, (_, i) => (
          <li key={i} className="home-row home-row-placeholder">
            <span className="placeholder-avatar" />
            <span className="placeholder-lines" />
          </li>
        ))}
      </ul>
    );
  }
  if (items.length === 0) return <p className="home-rows home-empty muted">{empty}</p>;
  return (
    <ul className="home-rows">
      {items.map((item) => (
        <li key={item.id} className="home-row">
          {render(item)}
        </li>
      ))}
    </ul>
  );
}

function InvitationRow({ invitation }: { invitation: ReceivedInvitation }) {
  const { sender } = invitation;
  return (
    <>
      <Avatar id={sender.id} name={sender.fullName} size="md" />
      <div className="home-row-text">
        <PersonLine member={sender} />
        <p className="home-row-detail">{invitation.note ? `“${invitation.note}”` : sender.headline || 'Wants to connect'}</p>
        <p className="home-row-meta muted">
          <Ago iso={invitation.createdAt} prefix="Sent" />
        </p>
      </div>
    </>
  );
}

function ConversationRow({ conversation: c, myId }: { conversation: Conversation; myId: string }) {
  const unread = c.unreadCount > 0;
  const last = c.lastMessage;
  return (
    <>
      <Avatar id={c.member.id} name={c.member.fullName} size="md" />
      <div className="home-row-text">
        <p className="person-line">
          <Link className={unread ? 'person-name home-unread' : 'person-name'} href={`/messaging/${c.id}`}>
            {c.member.fullName}
            {unread && <span className="visually-hidden">, {c.unreadCount} unread</span>}
          </Link>
        </p>
        <p className={unread ? 'home-row-detail home-unread' : 'home-row-detail'}>{last ? `${last.senderId === myId ? 'You: ' : ''}${last.preview}` : 'No messages yet'}</p>
        <p className="home-row-meta muted">
          <Ago iso={c.lastActivityAt} />
        </p>
      </div>
      {unread && (
        <span className="count-badge" aria-hidden="true">
          {c.unreadCount}
        </span>
      )}
    </>
  );
}

function Suggestions({ data }: { data: Home | undefined }) {
  if (data && data.suggestions.length === 0) {
    return (
      <p className="home-cards home-empty muted">
        As you connect with people, we suggest people they know. <Link href="/people">Search for someone you know</Link>.
      </p>
    );
  }
  return (
    <ul className="home-cards" aria-hidden={data ? undefined : true}>
      {data
        ? data.suggestions.map(({ member, reason }) => (
            <li key={member.id} className="home-card">
              <SuggestedPerson member={member} reason={reason || (member.mutualCount > 0 ? mutualConnections(member.mutualCount) : '')} />
            </li>
          ))
        : Array.from({ length: CARDS }, (_, i) => (
            <li key={i} className="home-card home-card-placeholder">
              <span className="placeholder-avatar placeholder-avatar-lg" />
              <span className="placeholder-lines" />
            </li>
          ))}
    </ul>
  );
}
