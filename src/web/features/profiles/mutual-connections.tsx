/**
 * The line under a profile's name, as LinkedIn words it: "Ada Lovelace, Grace Hopper and 10 other
 * mutual connections", with the faces of the best-connected mutuals and links to their profiles.
 */
import type { ReactNode } from 'react';
import type { MemberSummary } from '../../../contracts/profiles.js';
import { Avatar } from '../../components/avatar.js';
import { Link } from '../../routes/router.js';
import { mutualConnections } from '../network/person.js';

/** "A", "A and B", "A, B and C". */
function listed(parts: ReactNode[]): ReactNode[] {
  return parts.flatMap((part, i) => (i === 0 ? [part] : [i === parts.length - 1 ? ' and ' : ', ', part]));
}

export function MutualConnections({ count, mutuals }: { count: number; mutuals: MemberSummary[] }) {
  if (count === 0) return null;
  const named = mutuals.slice(0, 2);
  const others = count - named.length;
  const names = named.map((m) => (
    <Link key={m.id} href={`/in/${m.id}`}>
      {m.fullName}
    </Link>
  ));
  let sentence: ReactNode;
  if (named.length === 0) sentence = mutualConnections(count);
  else if (others > 0) sentence = listed([...names, `${others} other ${others === 1 ? 'mutual connection' : 'mutual connections'}`]);
  else sentence = [...listed(names), named.length === 1 ? ' is a mutual connection' : ' are mutual connections'];
  return (
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
  );
}
