/**
 * The buttons on another member's profile, by how the viewer stands with them (MemberProfile.relationship):
 * none → Connect; invitation_sent → Pending (Withdraw in its menu); invitation_received → Accept / Ignore,
 * with their note; connected → "Connected" and Message. "More" holds Remove connection, Report as spam (only for a
 * received invitation) and Block. After Block the profile no longer exists for the viewer, so we leave it.
 */
import { useEffect, useRef, useState } from 'react';
import type { ReceivedInvitation } from '../../../contracts/invitations.js';
import type { MemberProfile, Relationship } from '../../../contracts/profiles.js';
import { ApiError } from '../../api/client.js';
import { blocks, connections, invitations } from '../../api/endpoints.js';
import { useAction } from '../../api/use-submit.js';
import { ConfirmDialog } from '../../components/dialog.js';
import { MenuButton, type MenuItem } from '../../components/menu.js';
import { useNotice } from '../../components/notice.js';
import { Link, navigate } from '../../components/router.js';
import { firstName } from '../../components/sentence.js';
import { ErrorLine } from '../../components/states.js';
import { Ago } from '../../components/time.js';
import { MessageButton } from '../messaging/message-button.js';
import { ConnectDialog } from '../relationships/connect-dialog.js';
import { refreshInboxCount } from '../relationships/inbox-count.js';
import { RemoveConnectionDialog, SpamDialog, WithdrawDialog } from '../relationships/relationship-dialogs.js';

const NONE: Relationship = { status: 'none', invitationId: null, connectedAt: null };
type Open = 'connect' | 'withdraw' | 'remove' | 'block' | 'spam';

export function RelationshipActions({ profile, onChange }: { profile: MemberProfile; onChange: (relationship: Relationship) => void }) {
  const announce = useNotice();
  const r = profile.relationship;
  const name = profile.fullName;
  const first = firstName(name);
  const [dialog, setDialog] = useState<Open>();
  const [received, setReceived] = useState<ReceivedInvitation>();
  const { busy, error, setError, run: act } = useAction();
  const actions = useRef<HTMLDivElement>(null);
  const refocus = useRef(false);

  // The relationship says "invitation received"; the invitation itself has the note and whether it was ignored.
  useEffect(() => {
    if (r.status !== 'invitation_received' || !r.invitationId) return;
    let live = true;
    invitations.get(r.invitationId).then(
      (inv) => live && inv.direction === 'received' && setReceived(inv),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [r.status, r.invitationId]);

  // The button that was pressed is often gone afterwards: continue from the first action.
  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    actions.current?.querySelector<HTMLElement>('button:not([disabled]), a')?.focus();
  });

  const change = (next: Relationship, message: string) => {
    refocus.current = true;
    setError(undefined);
    onChange(next);
    announce(message);
  };

  const invitationId = r.invitationId ?? '';
  const accept = () =>
    act(async () => {
      const inv = await invitations.accept(invitationId);
      change({ status: 'connected', invitationId: null, connectedAt: inv.closedAt ?? new Date().toISOString() }, `You are now connected with ${name}.`);
      void refreshInboxCount();
    });
  const ignore = () =>
    act(async () => {
      setReceived(await invitations.ignore(invitationId));
      refocus.current = true;
      void refreshInboxCount();
    });

  const close = () => setDialog(undefined);
  async function withdraw() {
    await invitations.withdraw(invitationId);
    close();
    change(NONE, `Invitation to ${name} withdrawn.`);
  }
  async function remove() {
    try {
      await connections.remove(profile.id);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'ConnectionNotFound')) throw e;
    }
    close();
    change(NONE, `${name} was removed from your connections.`);
  }
  async function reportSpam() {
    setReceived(await invitations.reportSpam(invitationId));
    close();
    refocus.current = true;
    void refreshInboxCount();
  }
  async function block() {
    await blocks.block(profile.id);
    close();
    void refreshInboxCount();
    // Blocked members are "not found" to each other: this profile is gone for the viewer too.
    announce(`You blocked ${name}. You won’t see each other on Rapport.`, { path: '/mynetwork/connections' });
    navigate('/mynetwork/connections');
  }

  const more: MenuItem[] = [];
  if (r.status === 'connected') more.push({ label: 'Remove connection', tone: 'danger', onSelect: () => setDialog('remove') });
  if (r.status === 'invitation_received' && received && !received.spamReported) more.push({ label: 'Report as spam', onSelect: () => setDialog('spam') });
  more.push({ label: 'Block', tone: 'danger', onSelect: () => setDialog('block') });

  const ignored = received?.status === 'ignored';

  return (
    <div className="relationship">
      {r.status === 'invitation_received' && received && (
        <div className="invitation-card">
          <p>
            {received.spamReported ? (
              <>You reported {first}’s invitation as spam. {first} won’t be told; you can still accept it.</>
            ) : ignored ? (
              <>
                You ignored {first}’s invitation. It’s in your <Link href="/mynetwork/invitations/archived">Archived invitations</Link>; you can still accept it.
              </>
            ) : (
              <>
                <strong>{first} invited you to connect</strong> · <Ago iso={received.createdAt} />
              </>
            )}
          </p>
          {received.note && (
            <blockquote className="note">
              <p>{received.note}</p>
            </blockquote>
          )}
        </div>
      )}
      <div className="profile-actions" ref={actions}>
        {r.status === 'none' && (
          <button type="button" className="button button-primary" onClick={() => setDialog('connect')}>
            <span aria-hidden="true">+</span> Connect
          </button>
        )}
        {r.status === 'invitation_sent' && (
          <MenuButton className="button button-pending" align="start" items={[{ label: 'Withdraw invitation', onSelect: () => setDialog('withdraw') }]}>
            <ClockIcon /> Pending<span className="visually-hidden">: invitation sent</span>
          </MenuButton>
        )}
        {r.status === 'invitation_received' && (
          <>
            <button type="button" className="button button-primary" onClick={accept} disabled={busy}>
              {busy ? 'Working…' : 'Accept'}
            </button>
            {!ignored && (
              <button type="button" className="button button-secondary" onClick={ignore} disabled={busy}>
                Ignore
              </button>
            )}
          </>
        )}
        {r.status === 'connected' && (
          <>
            <span className="pill pill-success">
              <span aria-hidden="true">✓</span> Connected
            </span>
            <MessageButton member={profile} className="button button-primary" onError={setError} />
          </>
        )}
        <MenuButton label={`More actions for ${name}`} align="start" items={more}>
          More
        </MenuButton>
      </div>
      <ErrorLine message={error} />
      {dialog === 'connect' && (
        <ConnectDialog
          member={profile}
          onClose={close}
          onSent={(result) => {
            close();
            if (result.outcome === 'connected') change({ status: 'connected', invitationId: null, connectedAt: result.connectedAt }, `You are now connected with ${name}.`);
            else change({ status: 'invitation_sent', invitationId: result.invitation.id, connectedAt: null }, `Invitation sent to ${name}.`);
          }}
        />
      )}
      {dialog === 'withdraw' && <WithdrawDialog name={name} onConfirm={withdraw} onClose={close} />}
      {dialog === 'spam' && <SpamDialog name={name} onConfirm={reportSpam} onClose={close} />}
      {dialog === 'remove' && <RemoveConnectionDialog name={name} onConfirm={remove} onClose={close} />}
      {dialog === 'block' && (
        <ConfirmDialog title={`Block ${name}?`} confirmLabel="Block" busyLabel="Blocking…" onConfirm={block} onClose={close}>
          <p>{first} won’t be told. You won’t see each other’s profiles, and neither of you can invite or message the other.</p>
          <p>Your connection and any open invitation between you are removed.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function ClockIcon() {
  return (
    <svg className="button-icon-svg" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm0 1.5a5 5 0 1 1 0 10A5 5 0 0 1 8 3Zm-.75 1.75v3.56l2.6 2.05.93-1.18-2.03-1.6V4.75h-1.5Z" />
    </svg>
  );
}
