/**
 * The line under a profile's name, as LinkedIn words it: "Ada Lovelace, Grace Hopper and 10 other
 * mutual connections", with the faces of the best-connected mutuals and links to their profiles.
 * "10 other mutual connections" (or the count alone) is a button that opens the full list in a
 * dialog, a page at a time (GET /api/members/{id}/mutuals), best-connected first like the line.
 */
import { useState, type ReactNode } from 'react';
import type { MemberSummary, NetworkMember } from '../../../contracts/profiles.js';
import { profiles, type MutualsPage } from '../../api/endpoints.js';
import { usePages } from '../../api/use-pages.js';
import { Avatar } from '../../components/avatar.js';
import { Dialog } from '../../components/dialog.js';
import { PagedList } from '../../components/paged-list.js';
import { mutualConnections, Person } from '../../components/person.js';
import { Link } from '../../components/router.js';
import { EmptyState } from '../../components/states.js';

/** "A", "A and B", "A, B and C". */
function listed(parts: ReactNode[]): ReactNode[] {
  return parts.flatMap((part, i) => (i === 0 ? [part] : [i === parts.length - 1 ? ' and ' : ', ', part]));
}

export function MutualConnections({ member, count, mutuals }: { member: { id: string; fullName: string }; count: number; mutuals: MemberSummary[] }) {
  const [open, setOpen] = useState(false);
  if (count === 0) return null;
  const named = mutuals.slice(0, 2);
  const others = count - named.length;
  const names = named.map((m) => (
    <Link key={m.id} href={`/in/${m.id}`}>
      {m.fullName}
    </Link>
  ));
  const opener = (label: string) => (
    <button key="all" type="button" className="link-button" onClick={() => setOpen(true)}>
      {label}
    </button>
  );
  let sentence: ReactNode;
  if (named.length === 0) sentence = opener(mutualConnections(count));
  else if (others > 0) sentence = listed([...names, opener(`${others} other ${others === 1 ? 'mutual connection' : 'mutual connections'}`)]);
  else sentence = [...listed(names), named.length === 1 ? ' is a mutual connection' : ' are mutual connections'];
  return (
    <>
      <p className="mutuals">
        {mutuals.length > 0 && (
          <span className="mutual-faces" aria-hidden="true">
            {mutuals.map((m) => (
              <Avatar key={m.id} id={m.id} name={m.fullName} size="xs" />
            ))}
          </span>
        )}
        <span>{sentence}</span>
      </p>
      {open && <MutualsDialog member={member} count={count} onClose={() => setOpen(false)} />}
    </>
  );
}

function MutualsDialog({ member, count, onClose }: { member: { id: string; fullName: string }; count: number; onClose: () => void }) {
  const [pages, api] = usePages<NetworkMember, MutualsPage>(`mutuals.${member.id}`, (cursor) => profiles.mutuals(member.id, cursor));
  return (
    <Dialog title={`${mutualConnections(count)} with ${member.fullName}`} onClose={onClose}>
      <div className="dialog-body dialog-scroll">
        <PagedList
          pages={pages}
          api={api}
          loading="Loading mutual connections…"
          errorTitle="We could not load the mutual connections"
          className="people"
          label={`Mutual connections with ${member.fullName}, best connected first`}
          itemKey={(m) => m.id}
          render={(m) => (
            <li className="person">
              <Avatar id={m.id} name={m.fullName} size="sm" />
              <div className="invite-main">
                <Person member={m} />
              </div>
            </li>
          )}
          empty={
            <EmptyState title="No mutual connections any more">
              <p>The network changed since this page opened.</p>
            </EmptyState>
          }
        />
      </div>
    </Dialog>
  );
}
