/**
 * Sent invitations still waiting for an answer. To its sender an ignored invitation is simply
 * pending, so this list never hints at what the recipient did. Withdraw asks first: it starts the
 * re-invite cooldown.
 */
import { useEffect, useRef, useState } from 'react';
import type { SentInvitation } from '../../../contracts/invitations.js';
import { ApiError } from '../../api/client.js';
import { invitations, type SentPage } from '../../api/endpoints.js';
import { usePages } from '../../api/use-pages.js';
import { Avatar } from '../../components/avatar.js';
import { PagedList } from '../../components/paged-list.js';
import { Link } from '../../components/router.js';
import { EmptyState } from '../../components/states.js';
import { Ago, formatDay } from '../../components/time.js';
import { COOLDOWN_DAYS, WithdrawDialog } from '../relationships/relationship-dialogs.js';
import { RowMember } from './invitation-parts.js';

const DAY_MS = 86_400_000;

export function SentList({ onCount, onChanged }: { onCount: (pending: number) => void; onChanged: () => void }) {
  const [pages, api] = usePages<SentInvitation, SentPage>('sent', (cursor) => invitations.sent(cursor), (page) => onCount(page.counts.pending));
  return (
    <>
      <h2 className="visually-hidden">Sent invitations</h2>
      <PagedList
        pages={pages}
        api={api}
        loading="Loading the invitations you sent…"
        errorTitle="We could not load your sent invitations"
        className="invites"
        itemKey={(i) => i.id}
        render={(i) => <SentRow invitation={i} onChanged={onChanged} />}
        empty={
          <EmptyState title="No invitations waiting for an answer">
            <p>
              Invitations you send stay here until they are accepted. <Link href="/people">Find people you know</Link> and invite them from their profile.
            </p>
          </EmptyState>
        }
      />
    </>
  );
}

function SentRow({ invitation: inv, onChanged }: { invitation: SentInvitation; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [withdrawn, setWithdrawn] = useState<SentInvitation>();
  const status = useRef<HTMLParagraphElement>(null);
  const name = inv.recipient.fullName;

  useEffect(() => {
    if (withdrawn) status.current?.focus();
  }, [withdrawn]);

  async function withdraw() {
    try {
      setWithdrawn(await invitations.withdraw(inv.id));
    } catch (e) {
      // Accepted or expired meanwhile: say so in the dialog; anything else too.
      if (!(e instanceof ApiError && e.code === 'InvitationNotFound')) throw e;
      setWithdrawn({ ...inv, status: 'withdrawn', closedAt: new Date().toISOString() });
    }
    setConfirming(false);
    onChanged();
  }

  if (withdrawn) {
    const again = formatDay(new Date(Date.parse(withdrawn.closedAt ?? new Date().toISOString()) + COOLDOWN_DAYS * DAY_MS).toISOString());
    return (
      <li className="invite invite-done">
        <Avatar id={inv.recipient.id} name={name} size="sm" />
        <div className="invite-main">
          <p className="outcome" ref={status} tabIndex={-1}>
            <strong>Withdrawn.</strong> You can invite {name} again from {again}.
          </p>
        </div>
      </li>
    );
  }

  return (
    <li className="invite">
      <RowMember member={inv.recipient}>
        <Ago iso={inv.createdAt} prefix="Sent" />
      </RowMember>
      <div className="invite-actions">
        <button type="button" className="button button-quiet" onClick={() => setConfirming(true)}>
          Withdraw<span className="visually-hidden"> invitation to {name}</span>
        </button>
      </div>
      {inv.note && (
        <blockquote className="note invite-extra">
          <p>{inv.note}</p>
        </blockquote>
      )}
      {confirming && <WithdrawDialog name={name} onConfirm={withdraw} onClose={() => setConfirming(false)} />}
    </li>
  );
}
