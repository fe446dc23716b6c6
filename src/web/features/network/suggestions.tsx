/**
 * People you may know, as LinkedIn lays them out on My Network: a grid of cards with who, why (the
 * server's reason: mutual connections, a shared employer or school) and Connect, which opens the
 * usual invitation dialog and then reads "Pending". × hides a card for the rest of this browser
 * session (per member, in sessionStorage); the next suggestion takes its place.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { profiles, type Suggestion } from '../../api/endpoints.js';
import { useResource } from '../../api/use-resource.js';
import { useNotice } from '../../components/notice.js';
import { Link } from '../../components/router.js';
import { EmptyState, ErrorState, Loading } from '../../components/states.js';
import { SuggestedPerson } from '../../components/suggested-person.js';
import { useMe } from '../auth/session.js';
import { ConnectDialog } from '../relationships/connect-dialog.js';

const SHOWN = 12;
/** Asked for beyond what is shown, so a dismissed card is replaced by the next one. */
const ASKED = 24;

const storageKey = (viewerId: string) => `rapport.dismissed-suggestions.${viewerId}`;

function readDismissed(viewerId: string): string[] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(storageKey(viewerId)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

function saveDismissed(viewerId: string, ids: string[]): void {
  try {
    sessionStorage.setItem(storageKey(viewerId), JSON.stringify(ids));
  } catch {
    // Storage full or disabled: the card stays hidden until the page reloads.
  }
}

/** `onInvited` hears that an invitation went out, so the Sent count can follow. */
export function PeopleYouMayKnow({ onInvited }: { onInvited: () => void }) {
  const me = useMe();
  const [resource, { reload }] = useResource('suggestions', () => profiles.suggestions(ASKED));
  const [dismissed, setDismissed] = useState(() => readDismissed(me.id));
  const heading = useRef<HTMLHeadingElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const refocus = useRef<number | undefined>(undefined);

  // A dismissed card is gone: continue on the one that took its place, or on the heading.
  useEffect(() => {
    const index = refocus.current;
    if (index === undefined) return;
    refocus.current = undefined;
    (list.current?.children[index]?.querySelector<HTMLElement>('a') ?? heading.current)?.focus();
  }, [dismissed]);

  function dismiss(id: string, index: number) {
    const next = [...dismissed, id];
    refocus.current = index;
    setDismissed(next);
    saveDismissed(me.id, next);
  }

  let body: ReactNode;
  if (resource.status === 'loading') body = <Loading label="Finding people you may know…" />;
  else if (resource.status === 'error') body = <ErrorState title="We could not load suggestions" error={resource.error} onRetry={reload} />;
  else {
    const shown = resource.data.items.filter((s) => !dismissed.includes(s.member.id)).slice(0, SHOWN);
    body =
      shown.length === 0 ? (
        <EmptyState title="No suggestions right now">
          <p>
            As you connect with people, we suggest people they know and people you worked or studied with.{' '}
            <Link href="/people">Search for someone you know</Link>.
          </p>
        </EmptyState>
      ) : (
        <ul className="pymk" ref={list}>
          {shown.map((s, i) => (
            <SuggestionCard key={s.member.id} suggestion={s} onDismiss={() => dismiss(s.member.id, i)} onInvited={onInvited} />
          ))}
        </ul>
      );
  }

  return (
    <section className="card section" aria-labelledby="pymk-title">
      <h2 id="pymk-title" ref={heading} tabIndex={-1}>
        People you may know
      </h2>
      <p className="muted">Based on your connections, and where you worked and studied.</p>
      {body}
    </section>
  );
}

function SuggestionCard({ suggestion, onDismiss, onInvited }: { suggestion: Suggestion; onDismiss: () => void; onInvited: () => void }) {
  const { member, reason } = suggestion;
  const announce = useNotice();
  const [connecting, setConnecting] = useState(false);
  const [outcome, setOutcome] = useState<'pending' | 'connected'>();
  const status = useRef<HTMLParagraphElement>(null);

  // Connect is replaced by the outcome: focus follows it.
  useEffect(() => {
    if (outcome) status.current?.focus();
  }, [outcome]);

  return (
    <li className="pymk-card">
      <div className="pymk-banner" aria-hidden="true" />
      <button type="button" className="pymk-dismiss" aria-label={`Dismiss ${member.fullName}`} onClick={onDismiss}>
        <span aria-hidden="true">×</span>
      </button>
      <SuggestedPerson member={member} reason={reason} />
      <div className="pymk-action">
        {outcome ? (
          <p className={outcome === 'connected' ? 'pill pill-success' : 'pill pymk-pending'} ref={status} tabIndex={-1}>
            {outcome === 'connected' ? 'Connected' : 'Pending'}
            <span className="visually-hidden">{outcome === 'connected' ? ` with ${member.fullName}` : `: invitation sent to ${member.fullName}`}</span>
          </p>
        ) : (
          <button type="button" className="button button-secondary button-small" onClick={() => setConnecting(true)}>
            <span aria-hidden="true">+</span> Connect<span className="visually-hidden"> with {member.fullName}</span>
          </button>
        )}
      </div>
      {connecting && (
        <ConnectDialog
          member={member}
          onClose={() => setConnecting(false)}
          onSent={(result) => {
            setConnecting(false);
            setOutcome(result.outcome === 'connected' ? 'connected' : 'pending');
            announce(result.outcome === 'connected' ? `You are now connected with ${member.fullName}.` : `Invitation sent to ${member.fullName}.`);
            onInvited();
          }}
        />
      )}
    </li>
  );
}
