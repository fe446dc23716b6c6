/** Pieces the My Network rows share: who the row is about, the note, the reply outcome. */
import { useEffect, useRef, type ReactNode } from 'react';
import type { NetworkMember } from '../../../contracts/profiles.js';
import { Avatar } from '../../components/avatar.js';
import { Person } from '../../components/person.js';
import { Link } from '../../components/router.js';

/** The start of a row: the avatar, then the member and a line of when (and what) under them. */
export function RowMember({ member, children }: { member: NetworkMember; children: ReactNode }) {
  return (
    <>
      <Avatar id={member.id} name={member.fullName} />
      <div className="invite-main">
        <Person member={member} />
        <p className="muted invite-meta">{children}</p>
      </div>
    </>
  );
}

export function Note({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <blockquote className="note">
      <p>{text}</p>
    </blockquote>
  );
}

export function Chevron() {
  return (
    <svg className="chevron" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M3.5 6 8 10.5 12.5 6" />
    </svg>
  );
}

/** The reply part of a row: the composer, or what happened after sending. */
export type Reply = { kind: 'closed' } | { kind: 'open' } | { kind: 'sent'; conversationId: string };

export function ReplySent({ conversationId, focus }: { conversationId: string; focus: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <div className="reply-sent" ref={ref} tabIndex={-1}>
      <p>
        <strong>Message sent — the invitation is still waiting.</strong>
      </p>
      <p>
        <Link href={`/messaging/${conversationId}`}>View conversation</Link>
      </p>
    </div>
  );
}
