/**
 * Graph questions on an Adjacency, by node index. Pure functions over typed arrays; the only state is
 * a scratch `Marks` array reused between calls (one query at a time: Node runs them one by one).
 */
import { indexOf, type Adjacency } from './adjacency.js';

export type Degree = 1 | 2 | 3 | null;

/** Epoch-stamped marks: `mark(u)` is O(1) and clearing all of them is one increment. */
export class Marks {
  private stamps: Int32Array;
  private epoch = 0;
  private counts: Int32Array;

  constructor(size: number) {
    this.stamps = new Int32Array(Math.max(1, size));
    this.counts = new Int32Array(Math.max(1, size));
  }

  /** Start a new round, growing to `size` nodes if needed. */
  reset(size: number): void {
    if (size > this.stamps.length) {
      const grown = Math.max(size, this.stamps.length * 2);
      this.stamps = new Int32Array(grown);
      this.counts = new Int32Array(grown);
      this.epoch = 0;
    }
    this.epoch++;
    if (this.epoch === 0x7fffffff) {
      this.stamps.fill(0);
      this.epoch = 1;
    }
  }

  mark(u: number): void {
    this.stamps[u] = this.epoch;
  }

  marked(u: number): boolean {
    return this.stamps[u] === this.epoch;
  }

  count(u: number): number {
    return this.stamps[u] === this.epoch ? (this.counts[u] as number) : 0;
  }

  /** Count a visit; returns the count after it (1 on the first visit this round). */
  bump(u: number): number {
    if (this.stamps[u] !== this.epoch) {
      this.stamps[u] = this.epoch;
      this.counts[u] = 1;
      return 1;
    }
    const n = (this.counts[u] as number) + 1;
    this.counts[u] = n;
    return n;
  }
}

/** Sorted-merge intersection size, galloping through the longer row when the sizes are far apart. */
export function intersectionSize(a: Int32Array, b: Int32Array): number {
  if (a.length > b.length) [a, b] = [b, a];
  if (a.length === 0) return 0;
  if (a.length * 32 < b.length) {
    let n = 0;
    let lo = 0;
    for (let i = 0; i < a.length; i++) {
      const v = a[i] as number;
      lo = lowerBound(b, v, lo);
      if (lo >= b.length) break;
      if (b[lo] === v) n++;
    }
    return n;
  }
  return mergeCount(a, 0, a.length, b, 0, b.length);
}

/**
 * Common values of the sorted ranges a[i..ie) and b[j..je), by a linear merge without branches on
 * the data: each step advances the side(s) holding the smaller value by adding comparison results,
 * which the CPU cannot mispredict. About twice as fast as the if/else merge on rows of random ids.
 */
function mergeCount(a: Int32Array, i: number, ie: number, b: Int32Array, j: number, je: number): number {
  let n = 0;
  while (i < ie && j < je) {
    const x = a[i] as number;
    const y = b[j] as number;
    n += +(x === y);
    i += +(x <= y);
    j += +(y <= x);
  }
  return n;
}

/** intersectionSize of u's and v's rows, reading base rows in place (no row views). */
export function commonNeighbours(g: Adjacency, u: number, v: number): number {
  const eu = g.edited(u);
  const ev = g.edited(v);
  const base = g.offsets.length - 1;
  if (eu || ev || u >= base || v >= base) return intersectionSize(g.row(u), g.row(v));
  const i = g.offsets[u] as number;
  const j = g.offsets[v] as number;
  const ie = g.offsets[u + 1] as number;
  const je = g.offsets[v + 1] as number;
  // Far apart in size: gallop through the longer row instead.
  if ((ie - i) * 32 < je - j || (je - j) * 32 < ie - i) return intersectionSize(g.row(u), g.row(v));
  return mergeCount(g.targets, i, ie, g.targets, j, je);
}

/** The common elements of two sorted rows. */
export function intersection(a: Int32Array, b: Int32Array): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

function lowerBound(row: Int32Array, v: number, from: number): number {
  let lo = from;
  let hi = row.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((row[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A set of nodes as one bit each: 128 KB for a million nodes, so it stays in the CPU's L2 cache
 * where an Int32Array of stamps (4 MB) does not. Every bit is clear between uses: whoever sets bits
 * clears them again (`clear` drops the whole 32-node word, so clear only words you filled).
 */
export class Bits {
  words: Int32Array;

  constructor(size: number) {
    this.words = new Int32Array((Math.max(1, size) >>> 5) + 1);
  }

  /** Room for nodes 0..size-1 (only between uses: growing drops the array). */
  fit(size: number): void {
    if ((size >>> 5) + 1 > this.words.length) this.words = new Int32Array((size >>> 5) + 1);
  }

  set(u: number): void {
    this.words[u >>> 5] = (this.words[u >>> 5] as number) | (1 << (u & 31));
  }

  has(u: number): boolean {
    return ((this.words[u >>> 5] as number) & (1 << (u & 31))) !== 0;
  }

  /** Clears u's word: every bit of the 32 nodes that share it. */
  clear(u: number): void {
    this.words[u >>> 5] = 0;
  }
}

/**
 * Distance from a to b when it is at most 3, else null (out of network). a ≠ b.
 * 1st: b is in a's row. 2nd: the rows share a member. 3rd: some neighbour of the smaller row has the
 * larger row's member in its own row: set the larger row's bits, walk the smaller row's rows.
 */
export function degree(g: Adjacency, bits: Bits, a: number, b: number): Degree {
  const ra = g.row(a);
  const rb = g.row(b);
  if (ra.length === 0 || rb.length === 0) return null;
  const [small, large] = ra.length <= rb.length ? [ra, rb] : [rb, ra];
  if (indexOf(small, small === ra ? b : a) >= 0) return 1;
  bits.fit(g.size);
  const w = bits.words;
  for (let i = 0; i < large.length; i++) {
    const y = large[i] as number;
    w[y >>> 5] = (w[y >>> 5] as number) | (1 << (y & 31));
  }
  const found = walk(g, w, small);
  for (let i = 0; i < large.length; i++) w[(large[i] as number) >>> 5] = 0;
  return found;
}

/** 2 when `small` holds a set bit, 3 when a row of one of its members does, else null. */
function walk(g: Adjacency, w: Int32Array, small: Int32Array): Degree {
  for (let i = 0; i < small.length; i++) {
    const y = small[i] as number;
    if (((w[y >>> 5] as number) & (1 << (y & 31))) !== 0) return 2;
  }
  // No row views: this loop is the cost.
  const { offsets, targets } = g;
  const baseNodes = offsets.length - 1;
  for (let i = 0; i < small.length; i++) {
    const x = small[i] as number;
    const r = g.edited(x);
    if (r) {
      for (let j = 0; j < r.length; j++) {
        const y = r[j] as number;
        if (((w[y >>> 5] as number) & (1 << (y & 31))) !== 0) return 3;
      }
    } else if (x < baseNodes) {
      for (let j = offsets[x] as number, end = offsets[x + 1] as number; j < end; j++) {
        const y = targets[j] as number;
        if (((w[y >>> 5] as number) & (1 << (y & 31))) !== 0) return 3;
      }
    }
  }
  return null;
}

/**
 * Friends of friends of `viewer`, in the order first reached, leaving out every node set in `skip`
 * (the caller sets the viewer, its connections and whoever else must not come back). Afterwards
 * `marks.count(y)` is y's number of mutual connections with the viewer as walked. Each connection
 * contributes at most `cap` of its own connections (an even stride through its row), where `cap`
 * is `hubCap`, lowered so that all of them together visit about `budget`: one 10,000-connection
 * member, or a viewer with thousands of connections, bounds the work. Counts are exact when no row
 * was sampled, else a lower bound (callers recount the few they keep).
 */
export function friendsOfFriends(g: Adjacency, marks: Marks, skip: Bits, viewer: number, hubCap: number, budget = Infinity): number[] {
  const mine = g.row(viewer);
  const cap = Math.max(1, Math.min(hubCap, Math.ceil(budget / Math.max(1, mine.length))));
  marks.reset(g.size);
  const w = skip.words;
  const found: number[] = [];
  for (let i = 0; i < mine.length; i++) {
    const r = g.row(mine[i] as number);
    const step = r.length > cap ? r.length / cap : 1;
    for (let k = 0; k < r.length; k += step) {
      const y = r[Math.floor(k)] as number;
      if (((w[y >>> 5] as number) & (1 << (y & 31))) === 0 && marks.bump(y) === 1) found.push(y);
    }
  }
  return found;
}

/**
 * The positions of the `k` highest scores (scores are whole numbers ≥ 0), highest first; equal
 * scores keep their order in `scores`. A count per score value, not a sort: linear in the input.
 */
export function topK(scores: Int32Array, k: number): number[] {
  if (scores.length <= k) return [...scores.keys()].sort((i, j) => (scores[j] as number) - (scores[i] as number) || i - j);
  let max = 0;
  for (let i = 0; i < scores.length; i++) if ((scores[i] as number) > max) max = scores[i] as number;
  const perScore = new Int32Array(max + 1);
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i] as number;
    perScore[v] = (perScore[v] as number) + 1;
  }
  let threshold = max;
  for (let taken = perScore[max] as number; taken < k; ) taken += perScore[--threshold] as number;
  const above: number[] = [];
  const at: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i] as number;
    if (v > threshold) above.push(i);
    else if (v === threshold && at.length < k) at.push(i);
  }
  return above.concat(at.slice(0, k - above.length)).sort((i, j) => (scores[j] as number) - (scores[i] as number) || i - j);
}
