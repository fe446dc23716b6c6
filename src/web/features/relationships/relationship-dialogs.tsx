/**
 * The confirmations that change how two members stand, asked the same way wherever the action is
 * (a profile, the invitation lists, the connections list). Each says who is told (nobody) and what
 * cannot be undone quickly.
 */
import { ConfirmDialog } from '../../components/dialog.js';
import { firstName } from '../../components/sentence.js';

/** The one cooldown the web app states; the server's INVITE_COOLDOWN_DAYS default (not exposed by the API). */
export const COOLDOWN_DAYS = 21;

interface ConfirmProps {
  name: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** What to say in the confirmation: the cooldown, before it starts. */
export function WithdrawDialog({ name, onConfirm, onClose }: ConfirmProps) {
  return (
    <ConfirmDialog title="Withdraw invitation?" confirmLabel="Withdraw" busyLabel="Withdrawing…" onConfirm={onConfirm} onClose={onClose}>
      <p>
        You won’t be able to invite {name} again for {COOLDOWN_DAYS} days.
      </p>
      <p className="muted">{firstName(name)} won’t be told.</p>
    </ConfirmDialog>
  );
}

/** Reporting is serious: say what happens, and that the sender is not told. */
export function SpamDialog({ name, onConfirm, onClose }: ConfirmProps) {
  return (
    <ConfirmDialog title={`Report ${name}’s invitation as spam?`} confirmLabel="Report as spam" busyLabel="Reporting…" onConfirm={onConfirm} onClose={onClose}>
      <p>
        {firstName(name)} won’t be told. The invitation moves to Archived, any later invitation from {firstName(name)} goes straight there too, and
        our moderators review the report.
      </p>
    </ConfirmDialog>
  );
}

export function RemoveConnectionDialog({ name, onConfirm, onClose }: ConfirmProps) {
  return (
    <ConfirmDialog title={`Remove ${name}?`} confirmLabel="Remove connection" busyLabel="Removing…" onConfirm={onConfirm} onClose={onClose}>
      <p>{firstName(name)} won’t be told. To connect again, one of you will need to send a new invitation.</p>
    </ConfirmDialog>
  );
}
