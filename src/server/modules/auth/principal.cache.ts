/**
 * Token and session hash → principal, in memory, so an authenticated request costs no query.
 *
 * Allowed only because every change that ends or alters a credential is published on the change
 * feed in its own transaction (AuthService) and heard here at commit, before the request that made
 * it is answered. AuthService uses it on SQLite only, where one process serves (see its `useFeed`):
 * - `auth` topic, `session:<id>` (logout), `token:<id>` (revoke), `member:<id>` (password reset,
 *   role change): those entries go;
 * - `members` topic, `<id>` (profile edits change the name a principal carries): that member's go;
 * - `resync()` (the feed lost its connection and may have missed changes): everything goes.
 * Session expiry is checked on every hit against the injected clock. Entries also age out after
 * `MAX_AGE_MS`: a bound for changes made outside the application (SQL by hand, the `rapport admin`
 * CLI on SQLite, whose feed reaches no other process).
 */
import type { Clock } from '../../clock.js';
import type { ChangeFeed } from '../../db/change-feed.js';
import { BoundedCache } from '../../bounded-cache.js';
import type { Principal } from './principal.js';

export const AUTH_TOPIC = 'auth';
const MAX_ENTRIES = 10_000;
const MAX_AGE_MS = 60_000;

export interface CachedPrincipal {
  principal: Principal;
  /** Session expiry (ms since epoch); tokens do not expire. */
  expiresAt: number;
  /** When the token's `last_used_at` was last written (ms), for the once-a-minute touch. */
  lastUsedAt: number;
  cachedAt: number;
}

export class PrincipalCache {
  private readonly entries = new BoundedCache<string, CachedPrincipal>(MAX_ENTRIES);
  readonly detach: () => void;

  constructor(
    feed: ChangeFeed,
    private readonly clock: Clock,
  ) {
    this.detach = feed.subscribe({
      change: (topic, payload) => this.change(topic, payload),
      resync: () => this.entries.clear(),
    });
  }

  /** The live principal for a token hash, or undefined when it must be read from the database. */
  get(hash: string): CachedPrincipal | undefined {
    const hit = this.entries.get(hash);
    if (!hit) return undefined;
    const now = this.clock.now().getTime();
    if (hit.expiresAt <= now || now - hit.cachedAt >= MAX_AGE_MS || now < hit.cachedAt) {
      this.entries.delete(hash);
      return undefined;
    }
    return hit;
  }

  mark(): number {
    return this.entries.mark();
  }

  set(hash: string, principal: Principal, expiresAt: number, lastUsedAt: number, mark: number): void {
    this.entries.set(hash, { principal: Object.freeze(principal), expiresAt, lastUsedAt, cachedAt: this.clock.now().getTime() }, mark);
  }

  touched(hash: string, entry: CachedPrincipal, at: number): void {
    this.entries.replace(hash, { ...entry, lastUsedAt: at });
  }

  private change(topic: string, payload: string): void {
    if (topic === 'members') {
      this.entries.deleteWhere((e) => e.principal.memberId === payload);
      return;
    }
    if (topic !== AUTH_TOPIC) return;
    const [kind, id] = splitOnce(payload);
    if (kind === 'session') this.entries.deleteWhere((e) => e.principal.session?.id === id);
    else if (kind === 'token') this.entries.deleteWhere((e) => e.principal.tokenId === id);
    else if (kind === 'member') this.entries.deleteWhere((e) => e.principal.memberId === id);
    else this.entries.clear(); // a change this version does not know: forget everything, stay safe
  }
}

function splitOnce(s: string): [string, string] {
  const at = s.indexOf(':');
  return at < 0 ? [s, ''] : [s.slice(0, at), s.slice(at + 1)];
}
