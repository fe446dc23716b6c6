/** Pieces every received-invitation row shares: the note, the reply outcome. */
import { useEffect, useRef } from 'react';
import { Link } from '../../components/router.js';

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
