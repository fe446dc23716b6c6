/**
 * A row of Archived: collapsed; opening it offers Accept, Reply, Move to inbox (not once you said you
 * don't know them), "I don't know this person" and Report.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { ReceivedInvitation } from '../../../contracts/invitations.js';
import { invitations } from '../../api/endpoints.js';
import { useAction } from '../../api/use-submit.js';
import { Avatar } from '../../components/avatar.js';
import { firstName } from '../../components/sentence.js';
import { ErrorLine } from '../../components/states.js';
import { Ago } from '../../components/time.js';
import { MessageButton } from '../messaging/message-button.js';
import { SpamDialog } from '../relationships/relationship-dialogs.js';
import { Note, ReplySent, RowMember, type Reply } from './invitation-parts.js';
import { ReplyComposer } from './reply-composer.js';

export function ArchivedRow({ invitation, onChanged }: { invitation: ReceivedInvitation; onChanged: () => void }) {
  const [inv, setInv] = useState(invitation);
  const [open, setOpen] = useState(false);
  /** Accepted or moved back to the inbox: the row says so and offers what follows. */
  const [done, setDone] = useState<'accepted' | 'restored'>();
  const [reply, setReply] = useState<Reply>({ kind: 'closed' });
  const { busy, error, setError, run: act } = useAction();
  const [outcome, setOutcome] = useState<string>();
  const [reporting, setReporting] = useState(false);
  const status = useRef<HTMLParagraphElement>(null);
  const regionId = useId();
  const name = inv.sender.fullName;
  const first = firstName(name);

  useEffect(() => {
    if (outcome) status.current?.focus();
  }, [outcome]);

  const accept = () =>
    act(async () => {
      await invitations.accept(inv.id);
      setDone('accepted');
      setOutcome(`${name} is now a connection.`);
      onChanged();
    });
  const restore = () =>
    act(async () => {
      await invitations.restore(inv.id);
      setDone('restored');
      setOutcome(`The invitation from ${name} is back in your inbox.`);
      onChanged();
    });
  const idk = () =>
    act(async () => {
      setInv(await invitations.idk(inv.id));
      setOutcome(`Thanks for telling us. ${first} won’t be told.`);
    });
  async function reportSpam() {
    setInv(await invitations.reportSpam(inv.id));
    setReporting(false);
    setOutcome(`Reported as spam. ${first} won’t be told; our moderators will review it.`);
  }

  if (done) {
    return (
      <li className="invite invite-done">
        <Avatar id={inv.sender.id} name={name} size="sm" />
        <div className="invite-main">
          <p className="outcome" ref={status} tabIndex={-1}>
            <strong>{outcome}</strong>
          </p>
          <ErrorLine message={error} />
        </div>
        <div className="invite-actions">
          {done === 'accepted' && <MessageButton member={inv.sender} className="button button-secondary button-small" onError={setError} />}
        </div>
      </li>
    );
  }

  const flags = inv.spamReported ? 'Reported as spam' : inv.idk ? 'You said you don’t know them' : undefined;
  return (
    <li className="invite">
      <RowMember member={inv.sender}>
        <Ago iso={inv.ignoredAt ?? inv.createdAt} prefix="Ignored" />
        {flags && <> · {flags}</>}
      </RowMember>
      <div className="invite-actions">
        <button
          type="button"
          className="button button-secondary button-small"
          aria-expanded={open}
          aria-controls={open ? regionId : undefined}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? 'Hide invitation' : 'Show invitation'}
          <span className="visually-hidden"> from {name}</span>
        </button>
      </div>
      {open && (
        <div className="invite-extra invite-details" id={regionId}>
          {inv.note ? <Note text={inv.note} /> : <p className="muted">{first} sent no note.</p>}
          <p className="muted invite-meta">
            <Ago iso={inv.createdAt} prefix="Sent" />
          </p>
          {outcome && (
            <p className="outcome" ref={status} tabIndex={-1}>
              {outcome}
            </p>
          )}
          <ErrorLine message={error} />
          <div className="button-row">
            <button type="button" className="button button-primary button-small" onClick={accept} disabled={busy}>
              Accept<span className="visually-hidden"> invitation from {name}</span>
            </button>
            {reply.kind === 'closed' && (
              <button type="button" className="button button-secondary button-small" onClick={() => setReply({ kind: 'open' })}>
                Reply without accepting
              </button>
            )}
            {!inv.idk && (
              <button type="button" className="button button-secondary button-small" onClick={restore} disabled={busy}>
                Move<span className="visually-hidden"> the invitation from {name}</span> to inbox
              </button>
            )}
            {!inv.idk && (
              <button type="button" className="button button-quiet button-small" onClick={idk} disabled={busy}>
                I don’t know this person
              </button>
            )}
            {!inv.spamReported && (
              <button type="button" className="button button-danger-text button-small" onClick={() => setReporting(true)} disabled={busy}>
                Report as spam
              </button>
            )}
          </div>
          {reply.kind === 'open' && (
            <ReplyComposer
              invitationId={inv.id}
              sender={inv.sender}
              onSent={(id) => setReply({ kind: 'sent', conversationId: id })}
              onCancel={() => setReply({ kind: 'closed' })}
            />
          )}
          {reply.kind === 'sent' && <ReplySent conversationId={reply.conversationId} focus />}
        </div>
      )}
      {reporting && <SpamDialog name={name} onConfirm={reportSpam} onClose={() => setReporting(false)} />}
    </li>
  );
}
