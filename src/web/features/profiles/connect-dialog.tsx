/** "Connect": an optional note with a live character count, then the invitation. */
import { useEffect, useState, type FormEvent } from 'react';
import { NOTE_MAX, SendInvitationBody, type SendResult } from '../../../contracts/invitations.js';
import { ApiError } from '../../api/client.js';
import { invitations } from '../../api/endpoints.js';
import { fieldErrorsOf, friendlyMessage, validate, type FieldErrors } from '../../api/messages.js';
import { Dialog } from '../../components/dialog.js';
import { TextArea } from '../../components/field.js';
import { FormAlert } from '../../components/states.js';
import { firstName } from '../network/network-layout.js';

const day = new Intl.DateTimeFormat([], { dateStyle: 'long' });

interface Props {
  member: { id: string; fullName: string };
  onSent: (result: SendResult) => void;
  onClose: () => void;
}

export function ConnectDialog({ member, onSent, onClose }: Props) {
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [alert, setAlert] = useState<string>();
  const [busy, setBusy] = useState(false);
  const first = firstName(member.fullName);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAlert(undefined);
    const checked = validate(SendInvitationBody, { recipientId: member.id, note: note.trim() || undefined });
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onSent(await invitations.send(member.id, checked.data.note));
    } catch (error) {
      setErrors(fieldErrorsOf(error));
      const at = error instanceof ApiError && error.code === 'ReinviteCooldown' ? error.retryAt : undefined;
      setAlert(at ? `You withdrew an invitation to ${first} recently. You can invite ${first} again on ${day.format(at)}.` : friendlyMessage(error));
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Invite ${member.fullName} to connect`} onClose={() => !busy && onClose()}>
      <form onSubmit={submit} noValidate>
        <div className="dialog-body">
          <FormAlert message={alert} />
          <p className="muted">A short note helps {first} remember where you met or why you want to connect.</p>
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
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send invitation'}
          </button>
        </div>
      </form>
    </Dialog>
  );
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
