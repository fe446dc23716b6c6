/** Admin → Members: look members up by name or email, with their level; each opens their standing. */
import { useEffect, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { MemberLookupItem } from '../../../contracts/safety.js';
import { admin, type LookupPage } from '../../api/endpoints.js';
import { usePages } from '../../api/use-pages.js';
import { Avatar } from '../../components/avatar.js';
import { TextField } from '../../components/field.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { PagedList } from '../../components/paged-list.js';
import { Link, navigate, useLocation } from '../../components/router.js';
import { EmptyState } from '../../components/states.js';
import { formatDay } from '../../components/time.js';
import { AdminLayout, LEVEL_NAMES } from './admin-layout.js';

type Item = z.infer<typeof MemberLookupItem>;

export function MembersPage() {
  usePageTitle('Members');
  const { query } = useLocation();
  const q = (query.get('q') ?? '').trim();
  const [text, setText] = useState(q);
  const [pages, api] = usePages<Item, LookupPage>(`admin:members:${q}`, (cursor) => admin.lookup(q, cursor));
  useEffect(() => setText(q), [q]);

  function search(event: FormEvent) {
    event.preventDefault();
    const next = text.trim();
    navigate(next ? `/admin/members?q=${encodeURIComponent(next)}` : '/admin/members');
  }

  return (
    <AdminLayout current="members">
      <section className="card section" aria-labelledby="members-title">
        <p className="eyebrow">Admin</p>
        <PageHeading id="members-title">Members</PageHeading>
        <form className="inline-form" role="search" onSubmit={search}>
          <TextField className="grow" label="Name or email" hideLabel placeholder="Search by name or email" value={text} onChange={(e) => setText(e.target.value)} />
          <button type="submit" className="button button-primary">
            Search
          </button>
        </form>
        <PagedList
          pages={pages}
          api={api}
          loading="Looking members up…"
          errorTitle="We could not look members up"
          className="people"
          label={q ? `Members matching “${q}”` : 'Members'}
          itemKey={(m) => m.id}
          render={(m) => (
            <li className="person">
              <Avatar id={m.id} name={m.fullName} size="md" />
              <div className="person-main">
                <Link href={`/admin/members/${m.id}`} className="person-name">
                  {m.fullName}
                </Link>
                <p className="muted">
                  {m.email} · {m.role === 'admin' ? 'Administrator' : 'Member'} · joined {formatDay(m.createdAt)}
                </p>
              </div>
              <span className={m.level === 'none' ? 'level-tag' : 'level-tag level-tag-warn'}>{LEVEL_NAMES[m.level]}</span>
            </li>
          )}
          empty={
            <EmptyState title={q ? `No members match “${q}”` : 'No members yet'}>
              <p>Try part of a name, or a whole email address.</p>
            </EmptyState>
          }
        />
      </section>
    </AdminLayout>
  );
}
