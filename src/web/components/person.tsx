/**
 * A member as every list shows them: the name (a link to the profile), the degree badge after it
 * ("· 2nd", as LinkedIn does; nothing for yourself or out of network), the headline, and
 * "N mutual connections" when there are any.
 */
import type { Degree, NetworkMember } from '../../contracts/profiles.js';
import { Link } from './router.js';

const SPOKEN: Partial<Record<Degree, string>> = { '1st': 'first', '2nd': 'second', '3rd': 'third' };

export function DegreeBadge({ degree }: { degree: Degree }) {
  const spoken = SPOKEN[degree];
  if (!spoken) return null;
  return (
    <span className="degree">
      <span aria-hidden="true">· {degree}</span>
      <span className="visually-hidden">, {spoken}-degree connection</span>
    </span>
  );
}

/** "1 mutual connection", "12 mutual connections". */
export function mutualConnections(count: number): string {
  return `${count} mutual ${count === 1 ? 'connection' : 'connections'}`;
}

function profileHref(member: { id: string; degree: Degree }): string {
  return member.degree === 'self' ? '/profile' : `/in/${member.id}`;
}

/** The name (a link to the profile), "(you)" for yourself, and the degree badge. */
export function PersonLine({ member }: { member: Pick<NetworkMember, 'id' | 'fullName' | 'degree'> }) {
  return (
    <p className="person-line">
      <Link className="person-name" href={profileHref(member)}>
        {member.fullName}
      </Link>
      {member.degree === 'self' && <span className="muted"> (you)</span>}
      <DegreeBadge degree={member.degree} />
    </p>
  );
}

/** Name and badge, headline, mutual count: the first lines of a row or card. */
export function Person({ member }: { member: NetworkMember }) {
  return (
    <>
      <PersonLine member={member} />
      {member.headline && <p className="person-headline">{member.headline}</p>}
      {member.mutualCount > 0 && <p className="muted person-meta">{mutualConnections(member.mutualCount)}</p>}
    </>
  );
}
