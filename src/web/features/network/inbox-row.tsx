/**
 * A row of the inbox: open → (Ignore) ignoring, while the server answers → ignored → (Undo) open, or
 * → (I don't know / Report) flagged; open → (Accept) accepted. Every answer is sent at once: an Undo
 * is its own API call (restore), so closing the tab never loses an ignore. The row keeps its place
 * after an answer, saying what happened, until the list reloads. "Reply without accepting" opens a
 * composer in the row; the invitation stays open.
 */
import { useEffect, useRef, useState } from 'react';
import type { ReceivedInvitation } from '../../../contracts/invitations.js';
import { invitations } from '../../api/endpoints.js';
import { friendlyMessage } from '../../api/messages.js';
import { useAction } from '../../api/use-submit.js';
import { Avatar } from '../../components/avatar.js';
import { MenuButton } from '../../components/menu.js';
import { useNotice } from '../../components/notice.js';
import { Link } from '../../components/router.js';
import { firstName } from '../../components/sentence.js';
import { ErrorLine } from '../../components/states.js';
import { Ago } from '../../components/time.js';
import { MessageButton } from '../messaging/message-button.js';
import { SpamDialog } from '../relationships/relationship-dialogs.js';
import { Chevron, Note, ReplySent, RowMember, type Reply } from './invitation-parts.js';
import { ReplyComposer } from './reply-composer.js';

type InboxState = { kind: 'open' } | { kind: 'ignoring' } | { kind: 'ignored'; idk: boolean; spam: boolean } | { kind: 'accepted' };

export function InboxRow({ invitation: inv, onChanged }: { invitation: ReceivedInvitation; onChanged: () => void }) {
  const announce = useNotice();
  const name = inv.sender.fullName;
  const first = firstName(name);
  const [state, setState] = useState<InboxState>({ kind: 'open' });
  const [reply, setReply] = useState<Reply>({ kind: 'closed' });
  const { busy, error, setError, run } = useAction();
  const [reporting, setReporting] = useState(false);
  const status = useRef<HTMLParagraphElement>(null);
  const ignoreButton = useRef<HTMLButtonElement>(null);
  const acceptButton = useRef<HTMLButtonElement>(null);
  const focusNext = useRef<'status' | 'ignore' | 'accept' | undefined>(undefined);

  // Buttons vanish when the row changes; put focus where the person can carry on.
  useEffect(() => {
    const target = focusNext.current;
    focusNext.current = undefined;
    if (target === 'status') status.current?.focus();
    else if (target === 'ignore') ignoreButton.current?.focus();
    else if (target === 'accept') acceptButton.current?.focus();
  });

  const move = (next: InboxState, focus?: typeof focusNext.current) => {
    focusNext.current = focus;
    setState(next);
  };

  async function ignore() {
    setError(undefined);
    setReply({ kind: 'closed' });
    move({ kind: 'ignoring' }, 'status');
    try {
      await invitations.ignore(inv.id);
      setState((s) => (s.kind === 'ignoring' ? { kind: 'ignored', idk: false, spam: false } : s));
      onChanged();
    } catch (e) {
      setError(friendlyMessage(e));
      move({ kind: 'open' }, 'ignore');
    }
  }

  /** Undo is an API call of its own: the ignore was sent when it was clicked. */
  const undo = () =>
    run(async () => {
      await invitations.restore(inv.id);
      move({ kind: 'open' }, 'ignore');
      announce(`Invitation from ${name} is back in your inbox.`, { tone: 'info' });
      onChanged();
    });

  const idk = () =>
    run(async () => {
      const result = await invitations.idk(inv.id);
      move({ kind: 'ignored', idk: result.idk, spam: result.spamReported }, 'status');
      onChanged();
    });

  async function reportSpam() {
    const result = await invitations.reportSpam(inv.id);
    setReporting(false);
    move({ kind: 'ignored', idk: result.idk, spam: result.spamReported }, 'status');
    onChanged();
  }

  const accept = () =>
    run(async () => {
      await invitations.accept(inv.id);
      move({ kind: 'accepted' }, 'status');
      onChanged();
    });

  const errorLine = <ErrorLine message={error} />;

  if (state.kind !== 'open') {
    return (
      <li className="invite invite-done">
        <Avatar id={inv.sender.id} name={name} size="sm" />
        <div className="invite-main">
          <p className="outcome" ref={status} tabIndex={-1}>
            {state.kind === 'accepted' ? (
              <>
                <strong>{name} is now a connection.</strong>
              </>
            ) : state.kind === 'ignored' && state.spam ? (
              <>
                <strong>Reported as spam.</strong> {first} won’t be told; our moderators will review it.
              </>
            ) : state.kind === 'ignored' && state.idk ? (
              <>
                <strong>Thanks for telling us.</strong> {first} won’t be told. Later invitations from {first} go straight to Archived.
              </>
            ) : (
              <>
                <strong>Invitation ignored.</strong> {first} won’t be told.{state.kind === 'ignored' && ' It’s in Archived if you change your mind.'}
              </>
            )}
          </p>
          {errorLine}
        </div>
        <div className="invite-actions">
          {state.kind === 'accepted' && <MessageButton member={inv.sender} className="button button-secondary button-small" onError={setError} />}
          {state.kind === 'ignored' && !state.idk && (
            <button type="button" className="button button-secondary button-small" onClick={() => void undo()} disabled={busy}>
              Undo<span className="visually-hidden"> ignoring the invitation from {name}</span>
            </button>
          )}
          {(state.kind === 'ignoring' || (state.kind === 'ignored' && !state.idk)) && (
            <button type="button" className="button button-quiet button-small" onClick={idk} disabled={busy}>
              I don’t know this person
            </button>
          )}
          {(state.kind === 'ignoring' || (state.kind === 'ignored' && !state.spam)) && (
            <button type="button" className="button button-danger-text button-small" onClick={() => setReporting(true)} disabled={busy}>
              Report as spam
            </button>
          )}
        </div>
        {reporting && <SpamDialog name={name} onConfirm={reportSpam} onClose={() => setReporting(false)} />}
      </li>
    );
  }

  const conversationId = reply.kind === 'sent' ? undefined : (inv.conversationId ?? undefined);
  return (
    <li className="invite">
      <RowMember member={inv.sender}>
        <Ago iso={inv.createdAt} />
      </RowMember>
      <div className="invite-actions">
        <button type="button" ref={ignoreButton} className="button button-quiet" onClick={() => void ignore()} disabled={busy}>
          Ignore<span className="visually-hidden"> invitation from {name}</span>
        </button>
        <div className="split-button">
          <button type="button" ref={acceptButton} className="button button-secondary split-main" onClick={accept} disabled={busy}>
            {busy ? 'Accepting…' : 'Accept'}
            <span className="visually-hidden"> invitation from {name}</span>
          </button>
          <MenuButton
            label={`More ways to answer ${name}`}
            className="button button-secondary split-toggle"
            items={[{ label: 'Reply without accepting', onSelect: () => setReply({ kind: 'open' }) }]}
          >
            <Chevron />
          </MenuButton>
        </div>
      </div>
      {(inv.note || conversationId || reply.kind !== 'closed' || error) && (
        <div className="invite-extra">
          <Note text={inv.note} />
          {conversationId && (
            <p className="invite-meta">
              <Link href={`/messaging/${conversationId}`}>View your conversation with {first}</Link>
            </p>
          )}
          {errorLine}
          {reply.kind === 'open' && (
            <ReplyComposer
              invitationId={inv.id}
              sender={inv.sender}
              onSent={(id) => setReply({ kind: 'sent', conversationId: id })}
              onCancel={() => {
                focusNext.current = 'accept';
                setReply({ kind: 'closed' });
              }}
            />
          )}
          {reply.kind === 'sent' && <ReplySent conversationId={reply.conversationId} focus />}
        </div>
      )}
    </li>
  );
}
