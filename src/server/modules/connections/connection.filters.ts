/**
 * The block filter other modules put in their own lists and counts. It is a filter, not hydration:
 * a page must leave blocked members out before its `limit`, or pages would come short, so it runs
 * inside the other module's query. It lives here because `blocks` is this module's table: the SQL
 * that reads it is written once, by its owner (docs/architecture.md, "Joined reads").
 */
import { sql } from 'kysely';

/** No block between `viewerId` and the member in `column`, in either direction. */
export function notBlocked(column: string, viewerId: string) {
  const other = sql.ref(column);
  return sql<boolean>`not exists (select 1 from blocks b where (b.blocker_id = ${viewerId} and b.blocked_id = ${other}) or (b.blocked_id = ${viewerId} and b.blocker_id = ${other}))`;
}

/** No block between the members in columns `a` and `b` of the same row, in either direction. */
export function notBlockedBetween(a: string, b: string) {
  const x = sql.ref(a);
  const y = sql.ref(b);
  return sql<boolean>`not exists (select 1 from blocks b where (b.blocker_id = ${x} and b.blocked_id = ${y}) or (b.blocker_id = ${y} and b.blocked_id = ${x}))`;
}
