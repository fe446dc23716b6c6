/**
 * The who and why of a "people you may know" card, the same on Home and on My Network: the avatar,
 * the name (a link to the profile) with the degree badge, the headline, and why we suggest them. The
 * card around it (its size, dismiss, Connect) belongs to the page that shows it.
 */
import type { NetworkMember } from '../../contracts/profiles.js';
import { Avatar } from './avatar.js';
import { PersonLine } from './person.js';

export function SuggestedPerson({ member, reason }: { member: NetworkMember; reason: string }) {
  return (
    <>
      <Avatar id={member.id} name={member.fullName} size="lg" />
      <PersonLine member={member} />
      {member.headline && <p className="suggestion-headline">{member.headline}</p>}
      <p className="muted suggestion-reason">{reason}</p>
    </>
  );
}
