/**
 * The connection graph in memory: compressed sparse rows (CSR) in typed arrays, plus an overlay of
 * rows changed since the last build.
 *
 * State: `offsets`/`targets` hold every node's sorted neighbour list as loaded (the base); `changed`
 * maps a node to its current sorted row once it has been edited. Nodes are dense indexes 0..size-1.
 *
 * Invariants:
 * - a row is sorted ascending and holds no duplicates and never the node itself;
 * - edges are symmetric: `add`/`remove` always edit both rows;
 * - `row(u)` is the overlay row when there is one, else the base slice (a view, no copy).
 *
 * When the overlay holds more than a fraction of the edges, `compact()` folds it into a new base.
 */
export class Adjacency {
  /** The base CSR arrays; read-only outside this class (replaced, never edited, by `compact`). */
  offsets: Int32Array;
  targets: Int32Array;
  private changed = new Map<number, Int32Array>();
  private changedEdges = 0;
  private nodes: number;
  private edgeCount: number;

  constructor(offsets: Int32Array, targets: Int32Array, nodes = offsets.length - 1) {
    this.offsets = offsets;
    this.targets = targets;
    this.nodes = nodes;
    this.edgeCount = targets.length;
  }

  static empty(): Adjacency {
    return new Adjacency(new Int32Array(1), new Int32Array(0));
  }

  get size(): number {
    return this.nodes;
  }

  /** Make room for nodes up to `n - 1`; new nodes start with no edges. */
  grow(n: number): void {
    if (n > this.nodes) this.nodes = n;
  }

  row(u: number): Int32Array {
    const edited = this.changed.size === 0 ? undefined : this.changed.get(u);
    if (edited) return edited;
    if (u >= this.offsets.length - 1) return EMPTY;
    return this.targets.subarray(this.offsets[u] as number, this.offsets[u + 1] as number);
  }

  /**
   * For hot loops that must not allocate: u's row is `edited(u)` when it has one, else
   * `targets[offsets[u] .. offsets[u + 1])` (nodes past the base have no row there).
   */
  edited(u: number): Int32Array | undefined {
    return this.changed.size === 0 ? undefined : this.changed.get(u);
  }

  degreeOf(u: number): number {
    return this.row(u).length;
  }

  has(u: number, v: number): boolean {
    return indexOf(this.row(u), v) >= 0;
  }

  /** Connect u and v; a repeat changes nothing. */
  add(u: number, v: number): void {
    if (u === v || this.has(u, v)) return;
    this.grow(Math.max(u, v) + 1);
    this.edit(u, v, true);
    this.edit(v, u, true);
    this.edgeCount += 2;
    this.maybeCompact();
  }

  /** Disconnect u and v; a repeat changes nothing. */
  remove(u: number, v: number): void {
    if (!this.has(u, v)) return;
    this.edit(u, v, false);
    this.edit(v, u, false);
    this.edgeCount -= 2;
    this.maybeCompact();
  }

  /** Bytes held by the typed arrays (base and overlay). */
  get bytes(): number {
    let overlay = 0;
    for (const r of this.changed.values()) overlay += r.byteLength;
    return this.offsets.byteLength + this.targets.byteLength + overlay;
  }

  /** Directed edges: twice the connections. */
  get edges(): number {
    return this.edgeCount;
  }

  /** Fold the overlay into a fresh base. */
  compact(): void {
    const offsets = new Int32Array(this.nodes + 1);
    for (let u = 0; u < this.nodes; u++) offsets[u + 1] = (offsets[u] as number) + this.row(u).length;
    const targets = new Int32Array(offsets[this.nodes] as number);
    for (let u = 0; u < this.nodes; u++) targets.set(this.row(u), offsets[u] as number);
    this.offsets = offsets;
    this.targets = targets;
    this.changed.clear();
    this.changedEdges = 0;
  }

  private edit(u: number, v: number, add: boolean): void {
    const old = this.row(u);
    const at = add ? insertionPoint(old, v) : indexOf(old, v);
    const next = new Int32Array(old.length + (add ? 1 : -1));
    next.set(old.subarray(0, at));
    if (add) {
      next[at] = v;
      next.set(old.subarray(at), at + 1);
    } else {
      next.set(old.subarray(at + 1), at);
    }
    if (!this.changed.has(u)) this.changedEdges += next.length;
    this.changed.set(u, next);
  }

  private maybeCompact(): void {
    // Overlay rows cost a Map entry and an array each: fold them in once they hold a sixteenth of the edges.
    if (this.changedEdges > 4096 && this.changedEdges * 16 > this.targets.length) this.compact();
  }
}

const EMPTY = new Int32Array(0);

/** Index of v in a sorted row, or -1. */
export function indexOf(row: Int32Array, v: number): number {
  let lo = 0;
  let hi = row.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = row[mid] as number;
    if (x === v) return mid;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function insertionPoint(row: Int32Array, v: number): number {
  let lo = 0;
  let hi = row.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((row[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
