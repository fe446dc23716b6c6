/**
 * A bounded map for read caches that the change feed keeps honest. Past `max` entries the oldest
 * insertion goes (first in, first out: a hit costs one lookup, with no reordering).
 *
 * Invariant: a value read from the database before an invalidation is never stored after it.
 * Every invalidation bumps `generation`; a reader takes `mark()` before its query and passes it to
 * `set`, which drops the value if anything was invalidated in between (coarse, and invalidations
 * are rare, so a dropped fill only costs one more query on the next read).
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();
  private generation = 0;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** The generation to pass to `set` once the database has answered. */
  mark(): number {
    return this.generation;
  }

  set(key: K, value: V, mark: number): void {
    if (mark !== this.generation) return;
    this.entries.set(key, value);
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** Replace a value already cached (e.g. a refreshed timestamp) without counting as an invalidation. */
  replace(key: K, value: V): void {
    if (this.entries.has(key)) this.entries.set(key, value);
  }

  delete(key: K): void {
    this.generation++;
    this.entries.delete(key);
  }

  deleteWhere(matches: (value: V, key: K) => boolean): void {
    this.generation++;
    for (const [key, value] of this.entries) if (matches(value, key)) this.entries.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
