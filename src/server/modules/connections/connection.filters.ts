/**
 * The block filter other modules put in their own lists and counts. It is a filter, not hydration:
 * a page must leave blocked members out before its `limit`, or pages would come short, so it runs
 * inside the other module's query. It lives here because `blocks` is this module's table: the SQL
 * that reads it is written once, by its owner (docs/architecture.md, "Joined reads").
 */
import { sql, type RawBuilder } from 'kysely';

/** No block between the two members, in either direction (each a column reference or a value). */
function noBlockBetween(x: RawBuilder<unknown>, y: RawBuilder<unknown>) {
  return sql<boolean>`not exists (select 1 from blocks b where (b.blocker_id = ${x} and b.blocked_id = ${y}) or (b.blocker_id = ${y} and b.blocked_id = ${x}))`;
}

/** No block between `viewerId` and the member in `column`, in either direction. */
export function notBlocked(column: string, viewerId: string) {
  return noBlockBetween(sql.val(viewerId), sql.ref(column));
}

/** No block between the members in columns `a` and `b` of the same row, in either direction. */
export function notBlockedBetween(a: string, b: string) {
  return noBlockBetween(sql.ref(a), sql.ref(b));
}
