/**
 * "Message" next to a connection: asks the server for the conversation with them (found, or started
 * when there is none yet) and opens it. A failure is handed to the row or card that shows errors.
 */
import { useState } from 'react';
import { conversations } from '../../api/endpoints.js';
import { friendlyMessage } from '../../api/messages.js';
import { navigate } from '../../routes/router.js';

interface Props {
  member: { id: string; fullName: string };
  className: string;
  /** A sentence to show, or undefined to clear the last one. */
  onError: (message: string | undefined) => void;
}

export function MessageButton({ member, className, onError }: Props) {
  const [busy, setBusy] = useState(false);

  async function open() {
    setBusy(true);
    onError(undefined);
    try {
      const conversation = await conversations.start(member.id);
      navigate(`/messaging/${conversation.id}`);
    } catch (error) {
      onError(friendlyMessage(error));
      setBusy(false);
    }
  }

  return (
    <button type="button" className={className} onClick={open} disabled={busy}>
      {busy ? 'Opening…' : 'Message'}
      <span className="visually-hidden"> {member.fullName}</span>
    </button>
  );
}
