/** My Network → Connections: search by name, sort, "Load more", Message, Remove. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Connection } from '../../../contracts/invitations.js';
import { ApiError } from '../../api/client.js';
import { connections, type ConnectionSort, type ConnectionsPage as Page } from '../../api/endpoints.js';
import { usePages } from '../../api/use-pages.js';
import { SelectField, TextField } from '../../components/field.js';
import { MenuButton } from '../../components/menu.js';
import { useNotice } from '../../components/notice.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { PagedList } from '../../components/paged-list.js';
import { Link, navigate, useLocation } from '../../components/router.js';
import { EmptyState, ErrorLine } from '../../components/states.js';
import { Ago } from '../../components/time.js';
import { MessageButton } from '../messaging/message-button.js';
import { RemoveConnectionDialog } from '../relationships/relationship-dialogs.js';
import { RowMember } from './invitation-parts.js';
import { NetworkLayout } from './network-layout.js';

const plural = (n: number) => `${n} ${n === 1 ? 'connection' : 'connections'}`;

export function ConnectionsPage() {
  usePageTitle('Connections');
  const announce = useNotice();
  const { query } = useLocation();
  const q = (query.get('q') ?? '').trim();
  const sort: ConnectionSort = query.get('sort') === 'name' ? 'name' : 'recent';
  const [text, setText] = useState(q);
  const [total, setTotal] = useState<number>();
  const [removing, setRemoving] = useState<Connection>();
  const listHeading = useRef<HTMLHeadingElement>(null);
  const [pages, api] = usePages<Connection, Page>(`connections:${sort}:${q}`, (cursor) => connections.list({ q: q || undefined, sort, cursor }), (p) => setTotal(p.total));

  useEffect(() => setText(q), [q]);

  const go = (nextQ: string, nextSort: ConnectionSort) => {
    const params = new URLSearchParams();
    if (nextQ) params.set('q', nextQ);
    if (nextSort !== 'recent') params.set('sort', nextSort);
    const qs = params.toString();
    navigate(qs ? `/mynetwork/connections?${qs}` : '/mynetwork/connections');
  };

  function search(event: FormEvent) {
    event.preventDefault();
    go(text.trim(), sort);
  }

  async function remove(c: Connection) {
    try {
      await connections.remove(c.member.id);
    } catch (e) {
      // Already gone is what the member wanted.
      if (!(e instanceof ApiError && e.code === 'ConnectionNotFound')) throw e;
    }
    setRemoving(undefined);
    api.update((items) => items.filter((i) => i.member.id !== c.member.id));
    setTotal((t) => (t === undefined ? t : Math.max(0, t - 1)));
    announce(`${c.member.fullName} was removed from your connections.`);
    // The row and its menu are gone: continue from the list's heading.
    requestAnimationFrame(() => listHeading.current?.focus());
  }

  return (
    <NetworkLayout current="connections">
      <section className="card section" aria-labelledby="connections-title">
        <PageHeading id="connections-title">Connections</PageHeading>
        <p className="muted">{total === undefined ? 'Counting your connections…' : `You have ${plural(total)}.`}</p>
        <div className="toolbar">
          <form role="search" className="inline-form grow" onSubmit={search}>
            <TextField
              label="Search connections by name"
              hideLabel
              type="search"
              name="q"
              placeholder="Search by name"
              value={text}
              onChange={(e) => setText(e.target.value)}
              className="grow"
            />
            <button type="submit" className="button button-primary">
              Search
            </button>
          </form>
          <SelectField label="Sort by" className="sort" value={sort} onChange={(e) => go(q, e.target.value === 'name' ? 'name' : 'recent')}>
            <option value="recent">Recently added</option>
            <option value="name">Name</option>
          </SelectField>
        </div>
      </section>
      <section className="card section" aria-labelledby="connections-list-title">
        <h2 id="connections-list-title" ref={listHeading} tabIndex={-1}>
          {q ? `Connections matching “${q}”` : sort === 'name' ? 'Your connections, by name' : 'Your connections, most recent first'}
        </h2>
        <PagedList
          pages={pages}
          api={api}
          loading={q ? `Searching your connections for “${q}”…` : 'Loading your connections…'}
          errorTitle="We could not load your connections"
          className="invites"
          itemKey={(c) => c.member.id}
          render={(c) => <ConnectionRow connection={c} onRemove={() => setRemoving(c)} />}
          empty={
            q ? (
              <EmptyState title={`No connections match “${q}”`}>
                <p>Check the spelling, or try part of the name, like a first name only.</p>
              </EmptyState>
            ) : (
              <EmptyState title="No connections yet">
                <p>
                  Connections start with an invitation. <Link href="/people">Find people you know</Link> and invite them from their profile.
                </p>
              </EmptyState>
            )
          }
        />
      </section>
      {removing && <RemoveConnectionDialog name={removing.member.fullName} onConfirm={() => remove(removing)} onClose={() => setRemoving(undefined)} />}
    </NetworkLayout>
  );
}

function ConnectionRow({ connection: c, onRemove }: { connection: Connection; onRemove: () => void }) {
  const [error, setError] = useState<string>();
  const name = c.member.fullName;
  return (
    <li className="invite invite-person">
      <RowMember member={c.member}>
        <Ago iso={c.connectedAt} prefix="Connected" />
      </RowMember>
      <div className="invite-actions">
        <MessageButton member={c.member} className="button button-secondary button-small" onError={setError} />
        <MenuButton label={`More actions for ${name}`} className="button button-icon" items={[{ label: 'Remove connection', tone: 'danger', onSelect: onRemove }]}>
          <span aria-hidden="true">…</span>
        </MenuButton>
      </div>
      <ErrorLine message={error} className="invite-extra" />
    </li>
  );
}
