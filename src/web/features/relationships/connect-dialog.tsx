/**
 * "Connect": an optional note with a live character count, then the invitation. While the sender's
 * invitations are restricted (Account health), the form also asks for the recipient's email address,
 * which the server checks against the recipient's account.
 */
import { useEffect, useState } from 'react';
import { NOTE_MAX, SendInvitationBody, type SendResult } from '../../../contracts/invitations.js';
import { ApiError } from '../../api/client.js';
import { health, invitations } from '../../api/endpoints.js';
import { useSubmit } from '../../api/use-submit.js';
import { Dialog } from '../../components/dialog.js';
import { SubmitButton, TextArea, TextField } from '../../components/field.js';
import { Link } from '../../components/router.js';
import { firstName } from '../../components/sentence.js';
import { FormAlert } from '../../components/states.js';

const day = new Intl.DateTimeFormat([], { dateStyle: 'long' });

interface Props {
  member: { id: string; fullName: string };
  onSent: (result: SendResult) => void;
  onClose: () => void;
}

export function ConnectDialog({ member, onSent, onClose }: Props) {
  const [note, setNote] = useState('');
  const [email, setEmail] = useState('');
  const restricted = useRestricted();
  const [askEmail, setAskEmail] = useState(false);
  const needsEmail = askEmail || restricted;
  const first = firstName(member.fullName);

  const { errors, alert, busy, submit } = useSubmit(
    SendInvitationBody,
    () => ({ recipientId: member.id, note: note.trim() || undefined, email: needsEmail ? email.trim() : undefined }),
    async (data) => onSent(await invitations.send(member.id, data.note, data.email)),
    {
      check: () => (needsEmail && !email.trim() ? { email: `Enter ${first}’s email address.` } : undefined),
      failed: (error) => {
        if (!(error instanceof ApiError)) return;
        if (error.code === 'RecipientEmailRequired') setAskEmail(true);
        const at = error.code === 'ReinviteCooldown' ? error.retryAt : undefined;
        return {
          errors: error.code === 'RecipientEmailMismatch' ? { email: `This is not ${first}’s email address. Check it and try again.` } : undefined,
          alert: at ? `You withdrew an invitation to ${first} recently. You can invite ${first} again on ${day.format(at)}.` : undefined,
        };
      },
    },
  );

  return (
    <Dialog title={`Invite ${member.fullName} to connect`} onClose={() => !busy && onClose()}>
      <form onSubmit={submit} noValidate>
        <div className="dialog-body">
          <FormAlert message={alert} />
          <p className="muted">A short note helps {first} remember where you met or why you want to connect.</p>
          {needsEmail && (
            <>
              <p className="restricted-note">
                Your invitations are restricted for now, so each one needs the email address of the person you invite. <Link href="/mynetwork/health">See why in Account health</Link>.
              </p>
              <TextField label={`${first}’s email address`} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} />
            </>
          )}
          <TextArea
            label="Add a note (optional)"
            rows={5}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            error={errors.note}
            hint={<CharacterCount length={note.length} max={NOTE_MAX} />}
            data-autofocus
          />
          <SpokenCount length={note.length} max={NOTE_MAX} />
        </div>
        <div className="dialog-actions">
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <SubmitButton busy={busy} busyLabel="Sending…">Send invitation</SubmitButton>
        </div>
      </form>
    </Dialog>
  );
}

/** Whether the signed-in sender's invitations are restricted; asked when the dialog opens. */
function useRestricted(): boolean {
  const [restricted, setRestricted] = useState(false);
  useEffect(() => {
    let live = true;
    // If this fails, sending says whether an email is needed (RecipientEmailRequired).
    health.get().then(
      (h) => live && setRestricted(h.level === 'restricted'),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return restricted;
}

function countWords(length: number, max: number): string {
  const left = max - length;
  return left >= 0 ? `${left} ${left === 1 ? 'character' : 'characters'} left.` : `${-left} ${left === -1 ? 'character' : 'characters'} too many.`;
}

/** "42/300" as you type; screen readers hear "258 characters left" when they reach the field (it is its hint). */
function CharacterCount({ length, max }: { length: number; max: number }) {
  return (
    <>
      <span className={length > max ? 'count count-over' : 'count'} aria-hidden="true">
        {length}/{max}
      </span>
      <span className="visually-hidden">{countWords(length, max)}</span>
    </>
  );
}

/** While typing, the count is spoken once typing pauses, instead of a number on every key. */
function SpokenCount({ length, max }: { length: number; max: number }) {
  const [spoken, setSpoken] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => setSpoken(length === 0 ? '' : countWords(length, max)), 800);
    return () => window.clearTimeout(timer);
  }, [length, max]);
  return (
    <p className="visually-hidden" aria-live="polite">
      {spoken}
    </p>
  );
}
