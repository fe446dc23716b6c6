/**
 * One conversation: oldest message at the top (the API answers newest first, a page at a time),
 * "Load older messages" above them, a composer below. Opening it marks it read, and that answer
 * says who the other member is.
 */
import { useEffect, useRef, useState } from 'react';
import { MessageBody, type Message } from '../../../contracts/invitations.js';
import { ApiError } from '../../api/client.js';
import { conversations, type MessagePage } from '../../api/endpoints.js';
import { friendlyMessage } from '../../api/messages.js';
import { usePages } from '../../api/use-pages.js';
import { useResource } from '../../api/use-resource.js';
import { useSubmit } from '../../api/use-submit.js';
import { Avatar } from '../../components/avatar.js';
import { SubmitButton, TextArea } from '../../components/field.js';
import { useNotice } from '../../components/notice.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { Link } from '../../components/router.js';
import { EmptyState, ErrorLine, ErrorState, FormAlert, Loading } from '../../components/states.js';
import { Ago } from '../../components/time.js';
import { useMe } from '../auth/session.js';
import { refreshUnreadCounts } from '../notifications/unread-counts.js';

export function ConversationPage({ id }: { id: string }) {
  const me = useMe();
  const [pages, api] = usePages<Message, MessagePage>(`conversation:${id}`, (cursor) => conversations.messages(id, cursor));
  // Only once the messages are there: a conversation that is gone is not read (nor asked about twice).
  const found = pages.status === 'ready';
  const [read] = useResource(`conversation-read:${found ? id : ''}`, () => (found ? conversations.markRead(id) : Promise.resolve(undefined)));
  const other = read.status === 'ready' ? read.data?.member : undefined;
  const otherId = other?.id;
  const otherName = other?.fullName;
  usePageTitle(otherName ? `Conversation with ${otherName}` : 'Conversation');
  const list = useRef<HTMLOListElement>(null);

  // Reading the conversation cleared its unread messages: the top-bar badge follows.
  useEffect(() => {
    if (otherId) void refreshUnreadCounts();
  }, [otherId]);

  if (pages.status === 'loading') return <Loading label="Loading the conversation…" />;
  if (pages.status === 'error') {
    const code = pages.error instanceof ApiError ? pages.error.code : undefined;
    const missing = code === 'ConversationNotFound' || code === 'ValidationFailed';
    return (
      <ErrorState page title={missing ? 'This conversation is not available' : 'We could not load this conversation'} error={pages.error} onRetry={missing ? undefined : api.reload}>
        <p>
          <Link href="/messaging">Go to your messages</Link>
        </p>
      </ErrorState>
    );
  }

  async function older() {
    await api.loadMore();
    list.current?.focus();
  }

  const oldestFirst = [...pages.items].reverse();
  return (
    <section className="card thread" aria-labelledby="thread-title">
      <div className="thread-head">
        {otherId && otherName ? <Avatar id={otherId} name={otherName} size="sm" /> : null}
        <div>
          <p className="eyebrow">Messaging</p>
          <PageHeading id="thread-title">{otherName ?? 'Conversation'}</PageHeading>
          {otherId && otherName && (
            <p>
              <Link href={`/in/${otherId}`}>View {otherName}’s profile</Link>
            </p>
          )}
        </div>
      </div>
      <div className="thread-body">
        {pages.nextCursor && (
          <div className="load-older">
            <button type="button" className="button button-secondary button-small" onClick={older} disabled={pages.more.loading}>
              {pages.more.loading ? 'Loading…' : 'Load older messages'}
            </button>
          </div>
        )}
        {pages.more.error !== undefined && <ErrorLine message={friendlyMessage(pages.more.error)} />}
        {oldestFirst.length === 0 ? (
          <EmptyState title="No messages yet">
            <p>Write the first one below.</p>
          </EmptyState>
        ) : (
          <ol className="messages" ref={list} tabIndex={-1} aria-label="Messages, oldest first">
            {oldestFirst.map((m) => {
              const mine = m.senderId === me.id;
              return (
                <li key={m.id} className={mine ? 'message message-mine' : 'message'}>
                  <p className="message-meta">
                    <strong>{mine ? 'You' : (otherName ?? 'Them')}</strong> · <Ago iso={m.createdAt} />
                  </p>
                  <p className="message-body">{m.body}</p>
                </li>
              );
            })}
          </ol>
        )}
      </div>
      <Composer conversationId={id} onSent={(m) => api.update((newestFirst) => [m, ...newestFirst])} />
    </section>
  );
}

function Composer({ conversationId, onSent }: { conversationId: string; onSent: (message: Message) => void }) {
  const announce = useNotice();
  const [body, setBody] = useState('');
  const { errors, alert, busy, submit } = useSubmit(MessageBody, () => ({ body }), async (data) => {
    onSent(await conversations.send(conversationId, data.body));
    setBody('');
    announce('Message sent.', { tone: 'info' });
  });

  return (
    <form className="composer" onSubmit={submit} noValidate>
      <FormAlert message={alert} />
      <TextArea label="Write a message" rows={3} value={body} onChange={(e) => setBody(e.target.value)} error={errors.body} />
      <div className="composer-actions">
        <SubmitButton busy={busy} busyLabel="Sending…">Send</SubmitButton>
      </div>
    </form>
  );
}
