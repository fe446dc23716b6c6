/**
 * What other modules may use of connections/ (the `connections` and `blocks` tables are its own):
 * the service for writes, and reads that take the caller's executor, so they run in its transaction.
 */
export { notBlocked, notBlockedBetween } from './connection.filters.js';
export { ConnectionService, type ConnectionEffects } from './connection.service.js';
export { allOf, blockedEitherWay, connectedAmong, count, isBlockedEitherWay, isConnected, SEEDED_INVITATION } from './connection.repository.js';
/** Row type, for the seed's bulk loader (src/cli/seed-network.ts), the one writer outside this module. */
export type { ConnectionTable } from './connection.table.js';
