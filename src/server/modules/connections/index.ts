/**
 * What other modules may use of connections/ (the `connections` and `blocks` tables are its own):
 * the service for writes, and reads that take the caller's executor, so they run in its transaction.
 */
export { ConnectionService, type ConnectionEffects } from './connection.service.js';
export { allOf, blockedEitherWay, connectedAmong, count, isBlockedEitherWay, isConnected, SEEDED_INVITATION } from './connection.repository.js';
