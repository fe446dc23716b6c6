/** SQL fragments both dialects accept, shared by every repository. */
import { sql } from 'kysely';

/** Case-insensitive "contains" on a lower-cased column; `%`, `_` and `\` in the input match literally. */
export function contains(column: string, q: string) {
  const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

/** Rows strictly after the keyset in a (key, id) ordering that runs `desc` or `asc`. */
export function after(keyColumn: string, idColumn: string, k: { key: string; id: string }, order: 'asc' | 'desc') {
  const key = sql.ref(keyColumn);
  const id = sql.ref(idColumn);
  return order === 'desc'
    ? sql<boolean>`(${key} < ${k.key} or (${key} = ${k.key} and ${id} < ${k.id}))`
    : sql<boolean>`(${key} > ${k.key} or (${key} = ${k.key} and ${id} > ${k.id}))`;
}
