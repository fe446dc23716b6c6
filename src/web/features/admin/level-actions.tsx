/**
 * Warn, Restrict, Suspend or Lift a member by hand, each with a reason for the audit log. Only the
 * actions that change the member's level are offered: no Lift in good standing, no Warn when warned.
 */
import { useState } from 'react';
import { admin, type LevelAction, type MemberModeration } from '../../api/endpoints.js';
import { useNotice } from '../../components/notice.js';
import { DecisionDialog } from './decision-dialog.js';

const ACTIONS: Array<{ action: LevelAction; level: MemberModeration['level']; label: string; done: string }> = [
  { action: 'warn', level: 'warned', label: 'Warn', done: 'warned' },
  { action: 'restrict', level: 'restricted', label: 'Restrict', done: 'restricted' },
  { action: 'suspend', level: 'suspended', label: 'Suspend', done: 'suspended from inviting' },
  { action: 'lift', level: 'none', label: 'Lift', done: 'back in good standing' },
];

export function LevelActions({ member, level, onDone }: {
  member: { id: string; fullName: string };
  /** The member's current level, when known: its own action is not offered. */
  level?: MemberModeration['level'];
  onDone: () => void;
}) {
  const announce = useNotice();
  const [open, setOpen] = useState<(typeof ACTIONS)[number]>();
  return (
    <div className="admin-actions" role="group" aria-label={`Set ${member.fullName}’s level`}>
      {ACTIONS.filter((a) => a.level !== level).map((a) => (
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
