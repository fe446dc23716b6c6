import { useRef } from 'react';
import type { Relationship } from '../../../contracts/profiles.js';
import { ApiError } from '../../api/client.js';
import { profiles } from '../../api/endpoints.js';
import { useResource } from '../../api/use-resource.js';
import { usePageTitle } from '../../components/page.js';
import { Link } from '../../components/router.js';
import { ErrorState, Loading } from '../../components/states.js';
import { useMe } from '../auth/session.js';
import { ProfileView } from './profile-view.js';
import { RelationshipActions } from './relationship-actions.js';

export function MyProfilePage() {
  usePageTitle('My profile');
  const [resource, { reload }] = useResource('my-profile', profiles.mine);
  if (resource.status === 'loading') return <Loading label="Loading your profile…" />;
  if (resource.status === 'error') return <ErrorState page title="We could not load your profile" error={resource.error} onRetry={reload} />;
  return <ProfileView profile={resource.data} isMine />;
}

export function MemberProfilePage({ id }: { id: string }) {
  const me = useMe();
  const [resource, { reload, set }] = useResource(`member:${id}`, () => profiles.get(id));
  const changes = useRef(0);
  usePageTitle(resource.status === 'ready' ? resource.data.fullName : 'Profile');
  if (resource.status === 'loading') return <Loading label="Loading profile…" />;
  if (resource.status === 'error') {
    const code = resource.error instanceof ApiError ? resource.error.code : undefined;
    const missing = code === 'MemberNotFound' || code === 'ValidationFailed';
    // A blocked member and a closed account read the same: "not found" says nothing about who did what.
    return (
      <ErrorState
        page
        title={missing ? 'This profile is not available' : 'We could not load this profile'}
        message={
          code === 'ValidationFailed'
            ? 'This link does not point to a profile. Check the address, or search for the person instead.'
            : missing
              ? 'The link may be wrong, or this member’s profile is no longer available to you.'
              : undefined
        }
        error={resource.error}
        onRetry={missing ? undefined : reload}
      >
        <p>
          <Link href="/people">Search for people</Link>
        </p>
      </ErrorState>
    );
  }
  const profile = resource.data;
  if (profile.id === me.id) return <ProfileView profile={profile} isMine />;
  // Show the new relationship at once, then ask again: the degree and mutuals are the server's to compute.
  const change = (relationship: Relationship) => {
    set({ ...profile, relationship });
    const n = ++changes.current;
    profiles.get(id).then(
      (fresh) => n === changes.current && set(fresh),
      () => undefined,
    );
  };
  return <ProfileView profile={profile} isMine={false} network={profile} actions={<RelationshipActions profile={profile} onChange={change} />} />;
}
