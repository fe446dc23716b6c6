/** The "My Network" badge: how many invitations wait in the inbox. Pages that load the inbox report the count they got. */
import { badgeStore } from '../../api/badge-store.js';
import { invitations } from '../../api/endpoints.js';

const inbox = badgeStore(async () => (await invitations.received('inbox', undefined, 1)).counts.inbox);

export const setInboxCount = inbox.set;
export const refreshInboxCount = inbox.refresh;
/** The badge count for the signed-in member (undefined while unknown or signed out). */
export const useInboxCount = inbox.useValue;
