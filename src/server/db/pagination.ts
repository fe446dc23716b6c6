/**
 * Keyset pagination. A cursor is the (sort key, id) of the last row served, base64url-encoded.
 * A cursor that does not decode to exactly that is the caller's mistake: InvalidCursor (400),
 * never a crash and never a silently restarted list.
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import { AppError } from '../errors.js';
import { after } from './sql.js';

export interface Keyset {
  key: string;
  id: string;
}

function encodeCursor(k: Keyset): string {
  return Buffer.from(JSON.stringify([k.key, k.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Keyset | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // A NUL can never be in a key we issued, and PostgreSQL text refuses it.
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' && !`${value[0]}${value[1]}`.includes('\u0000')) {
      return { key: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  throw new AppError('InvalidCursor', 'The cursor is not one this list issued.');
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Fetch limit + 1 rows; this trims the extra one and builds the next cursor from the last kept row. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (r: R) => Keyset, present: (r: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return {
    items: kept.map(present),
    nextCursor: more && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

export interface PageRequest<O> {
  /** The sort key column (`'i.created_at'`), or null for a list ordered by its id alone. */
  key: string | null;
  /** The unique tie-breaker column; with `key: null`, the only order. */
  id: string;
  order: 'asc' | 'desc';
  limit: number;
  /** As the client sent it; one that is not ours is InvalidCursor. */
  cursor: string | undefined;
  /** The (key, id) of a row, as the columns above hold them: the next page starts after it. */
  keyOf: (row: O) => Keyset;
}

/**
 * One keyset page of `query`: the rows after the cursor in (key, id) order, limit + 1 of them
 * fetched so the extra one says whether there is a next page, which is then trimmed.
 */
export async function paginate<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, page: PageRequest<O>): Promise<Page<O>> {
  const cursor = decodeCursor(page.cursor);
  const id = sql.ref(page.id);
  let q = query;
  if (page.key === null) {
    if (cursor) q = q.where(page.order === 'desc' ? sql<boolean>`${id} < ${cursor.id}` : sql<boolean>`${id} > ${cursor.id}`);
  } else {
    if (cursor) q = q.where(after(page.key, page.id, cursor, page.order));
    q = q.orderBy(sql.ref(page.key), page.order);
  }
  const rows = await q.orderBy(id, page.order).limit(page.limit + 1).execute();
  return toPage(rows, page.limit, page.keyOf, (r) => r);
}

/** The same page with each item presented. */
export function mapPage<R, T>(page: Page<R>, present: (r: R) => T): Page<T> {
  return { items: page.items.map(present), nextCursor: page.nextCursor };
}
