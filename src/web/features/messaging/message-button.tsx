/**
 * "Message" next to a connection: asks the server for the conversation with them (found, or started
 * when there is none yet) and opens it. A failure is handed to the row or card that shows errors.
 */
import { conversations } from '../../api/endpoints.js';
import { useAction } from '../../api/use-submit.js';
import { navigate } from '../../components/router.js';

interface Props {
  member: { id: string; fullName: string };
  className: string;
  /** A sentence to show, or undefined to clear the last one. */
  onError: (message: string | undefined) => void;
}

export function MessageButton({ member, className, onError }: Props) {
  // Opening navigates away: the button stays busy until it goes.
  const { busy, run } = useAction({ keepBusy: true, onError });
  const open = () =>
    run(async () => {
      const conversation = await conversations.start(member.id);
      navigate(`/messaging/${conversation.id}`);
    });

  return (
    <button type="button" className={className} onClick={open} disabled={busy}>
      {busy ? 'Opening…' : 'Message'}
      <span className="visually-hidden"> {member.fullName}</span>
    </button>
  );
}
