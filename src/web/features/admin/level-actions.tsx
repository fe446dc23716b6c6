/** Warn, Restrict, Suspend or Lift a member by hand, each with a reason for the audit log. */
import { useState } from 'react';
import { admin, type LevelAction } from '../../api/endpoints.js';
import { useNotice } from '../../components/notice.js';
import { DecisionDialog } from './decision-dialog.js';

const ACTIONS: Array<{ action: LevelAction; label: string; done: string }> = [
  { action: 'warn', label: 'Warn', done: 'warned' },
  { action: 'restrict', label: 'Restrict', done: 'restricted' },
  { action: 'suspend', label: 'Suspend', done: 'suspended from inviting' },
  { action: 'lift', label: 'Lift', done: 'back in good standing' },
];

export function LevelActions({ member, onDone }: { member: { id: string; fullName: string }; onDone: () => void }) {
  const announce = useNotice();
  const [open, setOpen] = useState<(typeof ACTIONS)[number]>();
  return (
    <div className="admin-actions" role="group" aria-label={`Set ${member.fullName}’s level`}>
      {ACTIONS.map((a) => (
        <button key={a.action} type="button" className="button button-secondary button-small" aria-label={`${a.label} ${member.fullName}`} onClick={() => setOpen(a)}>
          {a.label}
        </button>
      ))}
      {open && (
        <DecisionDialog
          title={`${open.label} ${member.fullName}?`}
          intro={
            open.action === 'lift'
              ? `${member.fullName} returns to good standing, and earlier signals stop counting.`
              : `${member.fullName} will see this level and your reason in Account health.`
          }
          label="Reason"
          submitLabel={open.label}
          askDays={open.action === 'suspend'}
          onClose={() => setOpen(undefined)}
          onSubmit={async (reason, days) => {
            await admin.setLevel(member.id, open.action, reason, days);
            setOpen(undefined);
            announce(`${member.fullName} is now ${open.done}.`);
            onDone();
          }}
        />
      )}
    </div>
  );
}
