/**
 * Keyset pagination. A cursor is the (sort key, id) of the last row served, base64url-encoded.
 * A cursor that does not decode to exactly that is the caller's mistake: InvalidCursor (400),
 * never a crash and never a silently restarted list.
 */
import { AppError } from '../errors.js';

export interface Keyset {
  key: string;
  id: string;
}

export function encodeCursor(k: Keyset): string {
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

/** Fetch limit + 1 rows; this trims the extra one and builds the next cursor from the last kept row. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (r: R) => Keyset, present: (r: R) => T) {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return {
    items: kept.map(present),
    nextCursor: more && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
