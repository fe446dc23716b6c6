import { ConfirmDialog } from '../../components/dialog.js';
import { firstName } from './network-layout.js';

/** Reporting is serious: say what happens, and that the sender is not told. */
export function SpamDialog({ name, onConfirm, onClose }: { name: string; onConfirm: () => Promise<void>; onClose: () => void }) {
  return (
    <ConfirmDialog title={`Report ${name}’s invitation as spam?`} confirmLabel="Report as spam" busyLabel="Reporting…" onConfirm={onConfirm} onClose={onClose}>
      <p>
        {firstName(name)} won’t be told. The invitation moves to Archived, any later invitation from {firstName(name)} goes straight there too, and
        our moderators review the report.
      </p>
    </ConfirmDialog>
  );
}
