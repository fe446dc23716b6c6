/** People search by name, with keyset "Load more": the cursor from one page fetches the next. */
import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { NetworkMember } from '../../../contracts/profiles.js';
import { ApiError } from '../../api/client.js';
import { profiles } from '../../api/endpoints.js';
import { friendlyMessage } from '../../api/messages.js';
import { Avatar } from '../../components/avatar.js';
import { TextField } from '../../components/field.js';
import { useNotice } from '../../components/notice.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { Person } from '../../components/person.js';
import { navigate, useLocation } from '../../components/router.js';
import { EmptyState, ErrorLine, ErrorState, Loading } from '../../components/states.js';

type Results =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; items: NetworkMember[]; nextCursor: string | null; more: { loading: boolean; error?: unknown } };

export function PeoplePage() {
  usePageTitle('People');
  const { query } = useLocation();
  const q = (query.get('q') ?? '').trim();
  const [text, setText] = useState(q);
  const [results, setResults] = useState<Results>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const firstNew = useRef<number | undefined>(undefined);
  const list = useRef<HTMLUListElement>(null);
  const announce = useNotice();

  useEffect(() => setText(q), [q]);

  useEffect(() => {
    let live = true;
    setResults({ status: 'loading' });
    profiles.search(q).then(
      (page) => live && setResults({ status: 'ready', items: page.items, nextCursor: page.nextCursor, more: { loading: false } }),
      (error: unknown) => live && setResults({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [q, attempt]);

  // After "Load more", move focus to the first new person so keyboard users continue where the list grew.
  useEffect(() => {
    if (results.status !== 'ready' || firstNew.current === undefined) return;
    list.current?.querySelectorAll<HTMLAnchorElement>('a.person-name')[firstNew.current]?.focus();
    firstNew.current = undefined;
  }, [results]);

  function search(event: FormEvent) {
    event.preventDefault();
    const next = text.trim();
    navigate(next ? `/people?q=${encodeURIComponent(next)}` : '/people');
  }

  async function loadMore() {
    if (results.status !== 'ready' || !results.nextCursor) return;
    const before = results;
    setResults({ ...before, more: { loading: true } });
    try {
      const page = await profiles.search(q, before.nextCursor ?? undefined);
      firstNew.current = before.items.length;
      const items = [...before.items, ...page.items];
      setResults({ status: 'ready', items, nextCursor: page.nextCursor, more: { loading: false } });
      announce(`Showing ${items.length} people.`, { tone: 'info' });
    } catch (error) {
      setResults({ ...before, more: { loading: false, error } });
    }
  }

  return (
    <div className="stack">
      <section className="card section" aria-labelledby="people-title">
        <PageHeading id="people-title">People</PageHeading>
        <p className="muted">Find members by name.</p>
        <form role="search" className="inline-form" onSubmit={search}>
          <TextField label="Search people by name" hideLabel type="search" name="q" placeholder="Search by name" value={text} onChange={(e) => setText(e.target.value)} className="grow" />
          <button type="submit" className="button button-primary">
            Search
          </button>
        </form>
      </section>
      <ResultsView q={q} results={results} list={list} onRetry={() => setAttempt((n) => n + 1)} onMore={loadMore} />
    </div>
  );
}

function ResultsView({
  q,
  results,
  list,
  onRetry,
  onMore,
}: {
  q: string;
  results: Results;
  list: RefObject<HTMLUListElement | null>;
  onRetry: () => void;
  onMore: () => void;
}) {
  if (results.status === 'loading') return <Loading label={q ? `Searching for “${q}”…` : 'Loading people…'} />;
  if (results.status === 'error') {
    const badCursor = results.error instanceof ApiError && results.error.code === 'InvalidCursor';
    return <ErrorState title="We could not search people" error={results.error} onRetry={badCursor ? undefined : onRetry} />;
  }
  if (results.items.length === 0) {
    return (
      <section className="card section" aria-label="Results">
        <EmptyState title={q ? `No one matches “${q}”` : 'No members yet'}>
          <p>{q ? 'Check the spelling, or try part of the name, like a first name only.' : 'Invite colleagues to join Rapport.'}</p>
        </EmptyState>
      </section>
    );
  }
  return (
    <section className="card section" aria-labelledby="results-title">
      <h2 id="results-title">{q ? `Results for “${q}”` : 'Everyone on Rapport'}</h2>
      <p className="muted">
        Showing {results.items.length} {results.items.length === 1 ? 'person' : 'people'}
        {results.nextCursor ? ' — there are more' : ''}.
      </p>
      <ul className="people" ref={list}>
        {results.items.map((m) => (
          <li key={m.id} className="person">
            <Avatar id={m.id} name={m.fullName} />
            <div className="invite-main">
              <Person member={m} />
              {m.location && <p className="muted person-meta">{m.location}</p>}
            </div>
          </li>
        ))}
      </ul>
      {results.more.error !== undefined && <ErrorLine message={friendlyMessage(results.more.error)} />}
      {results.nextCursor && (
        <div className="load-more">
          <button type="button" className="button button-secondary" onClick={onMore} disabled={results.more.loading}>
            {results.more.loading ? 'Loading…' : results.more.error !== undefined ? 'Try loading more again' : 'Load more'}
          </button>
        </div>
      )}
    </section>
  );
}
