/** "Reply without accepting": a message to the sender that opens a conversation; the invitation stays as it is. */
import { useState } from 'react';
import { MessageBody } from '../../../contracts/invitations.js';
import { invitations } from '../../api/endpoints.js';
import { useSubmit } from '../../api/use-submit.js';
import { SubmitButton, TextArea } from '../../components/field.js';
import { firstName } from '../../components/sentence.js';
import { FormAlert } from '../../components/states.js';

interface Props {
  invitationId: string;
  sender: { fullName: string };
  onSent: (conversationId: string) => void;
  onCancel: () => void;
}

export function ReplyComposer({ invitationId, sender, onSent, onCancel }: Props) {
  const [body, setBody] = useState('');
  const { errors, alert, busy, submit } = useSubmit(MessageBody, () => ({ body }), async (data) => {
    const message = await invitations.reply(invitationId, data.body);
    onSent(message.conversationId);
  });

  return (
    <form className="reply" onSubmit={submit} noValidate>
      <FormAlert message={alert} />
      <TextArea
        label={`Reply to ${sender.fullName}`}
        hint={`${firstName(sender.fullName)} gets your message. The invitation keeps waiting until you accept or ignore it.`}
        rows={3}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        error={errors.body}
        // Opened on purpose from a menu: typing starts here.
        autoFocus
        onKeyDown={(e) => e.key === 'Escape' && !busy && onCancel()}
      />
      <div className="reply-actions">
        <SubmitButton busy={busy} busyLabel="Sending…" className="button button-primary button-small">Send reply</SubmitButton>
        <button type="button" className="button button-secondary button-small" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
