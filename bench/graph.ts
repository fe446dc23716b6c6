/**
 * B1–B3 and PYMK latency, in one process on a seeded SQLite database. Every baseline is a bare
 * function on plain Int32Array CSR arrays (or a raw better-sqlite3 scan), run on the same inputs in
 * the same process, interleaved with ours over several rounds; the median round counts.
 */
import SqliteDatabase from 'better-sqlite3';
import { statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { createHistogram } from 'node:perf_hooks';
import pino from 'pino';
import { loadConfig } from '../src/server/config.js';
import { ChangeFeed } from '../src/server/db/change-feed.js';
import { Database } from '../src/server/db/database.js';
import { GraphService } from '../src/server/modules/graph/graph.service.js';
import { SuggestionService } from '../src/server/modules/graph/suggestions.service.js';
import { blockedEitherWay } from '../src/server/modules/connections/index.js';
import { counterpartsOf, openWaitingFor } from '../src/server/modules/invitations/index.js';
import { prng } from '../src/cli/prng.js';
import type { Row } from './table.js';

const ROUNDS = 5;

/** Plain CSR, copied out of the loaded graph: the baseline's data. */
interface Csr {
  offsets: Int32Array;
  targets: Int32Array;
}

function bareDegree(g: Csr, stamps: Int32Array, epoch: number, a: number, b: number): number {
  const ra = g.targets.subarray(g.offsets[a] as number, g.offsets[a + 1] as number);
  const rb = g.targets.subarray(g.offsets[b] as number, g.offsets[b + 1] as number);
  if (ra.length === 0 || rb.length === 0) return 0;
  const [small, large, other] = ra.length <= rb.length ? [ra, rb, b] : [rb, ra, a];
  let lo = 0;
  let hi = small.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = small[mid] as number;
    if (x === other) return 1;
    if (x < other) lo = mid + 1;
    else hi = mid - 1;
  }
  for (let i = 0; i < large.length; i++) stamps[large[i] as number] = epoch;
  for (let i = 0; i < small.length; i++) if (stamps[small[i] as number] === epoch) return 2;
  for (let i = 0; i < small.length; i++) {
    const u = small[i] as number;
    for (let j = g.offsets[u] as number, end = g.offsets[u + 1] as number; j < end; j++) if (stamps[g.targets[j] as number] === epoch) return 3;
  }
  return 0;
}

function bareMutuals(g: Csr, a: number, b: number): number {
  let i = g.offsets[a] as number;
  let j = g.offsets[b] as number;
  const ie = g.offsets[a + 1] as number;
  const je = g.offsets[b + 1] as number;
  let n = 0;
  while (i < ie && j < je) {
    const x = g.targets[i] as number;
    const y = g.targets[j] as number;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const heap = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

export async function graphBench(file: string, opts: { pairs: number; viewers: number; full: boolean }): Promise<Row[]> {
  // B3 baseline: a raw scan of the connections table, in primary-key order, every value touched.
  // When the file fits in memory comfortably, read it once first, so the baseline and the load both
  // find it in the page cache (else whichever runs first pays for the disk).
  const raw = new SqliteDatabase(file, { readonly: true });
  const scan = () => {
    let touched = 0;
    for (const r of raw.prepare('select member_id, other_id from connections order by member_id, other_id').raw().iterate()) touched += (r as string[]).length;
    return touched;
  };
  if (statSync(file).size < totalmem() / 4) scan();
  const scanStart = performance.now();
  const touched = scan();
  const scanMs = performance.now() - scanStart;
  raw.close();

  const database = Database.open(`sqlite:${file}`);
  const log = pino({ level: 'silent' });
  const graph = new GraphService(database, new ChangeFeed(database, log), log);
  const before = heap();
  const loadStart = performance.now();
  await graph.load();
  const loadMs = performance.now() - loadStart;
  const graphBytes = heap() - before;
  const { members, edges, adjacencyBytes, attributeBytes } = graph.stats();
  const rawCsrBytes = (members + 1) * 4 + edges * 4;

  const ids = await database.db.selectFrom('members').select('id').orderBy('id').execute();
  const csr = bareCsr(graph, ids.length);
  const rnd = prng(42);
  const pick = () => Math.floor(rnd() * ids.length);
  const pairs = Array.from({ length: opts.pairs }, () => [pick(), pick()] as const).filter(([a, b]) => a !== b);
  const idOf = (u: number) => (ids[u] as { id: string }).id;
  const idPairs = pairs.map(([a, b]) => [idOf(a), idOf(b)] as const);

  const stamps = new Int32Array(ids.length);
  let epoch = 0;
  const degree = rounds(
    () => pairs.forEach(([a, b]) => bareDegree(csr, stamps, ++epoch, a, b)),
    () => idPairs.forEach(([a, b]) => graph.degree(a, b)),
  );
  const mutual = rounds(
    () => pairs.forEach(([a, b]) => bareMutuals(csr, a, b)),
    () => idPairs.forEach(([a, b]) => graph.mutualCount(a, b)),
  );
  const degreeP99 = percentile99(idPairs, ([a, b]) => graph.degree(a, b));

  const config = loadConfig({}); // the defaults a server runs with
  const suggestions = new SuggestionService(
    database,
    graph,
    { hubCap: config.GRAPH_HUB_CAP, budget: config.GRAPH_SECOND_HOP_BUDGET, perOrg: config.GRAPH_SUGGESTIONS_PER_ORG },
    { invitationCounterparts: counterpartsOf, openInvitationsWaiting: openWaitingFor, blockedEitherWay },
  );
  for (let i = 0; i < 20; i++) await suggestions.suggest(idOf(pick()), 12); // warm-up, not measured
  const pymk = createHistogram();
  for (let i = 0; i < opts.viewers; i++) {
    const viewer = idOf(pick());
    const t0 = process.hrtime.bigint();
    await suggestions.suggest(viewer, 12);
    pymk.record(Number(process.hrtime.bigint() - t0) || 1);
  }
  await database.close();

  const us = (ns: number) => `${(ns / 1000).toFixed(1)} µs`;
  const perCall = (ms: number) => us((ms * 1e6) / pairs.length);
  return [
    {
      name: `B1 degree (${pairs.length.toLocaleString('en')} random pairs)`,
      baseline: `${perCall(degree.base)} bare CSR`,
      ours: `${perCall(degree.ours)}, p99 ${us(degreeP99)}`,
      ratio: degree.ours / degree.base,
      target: opts.full ? '≤ 1.5×, p99 ≤ 50 µs' : '≤ 1.5×',
      pass: degree.ours / degree.base <= 1.5 && (!opts.full || degreeP99 <= 50_000),
    },
    {
      name: 'B2 mutual count',
      baseline: `${perCall(mutual.base)} sorted merge`,
      ours: perCall(mutual.ours),
      ratio: mutual.ours / mutual.base,
      target: '≤ 1.5×',
      pass: mutual.ours / mutual.base <= 1.5,
    },
    {
      name: `B2 people you may know (${opts.viewers} viewers)`,
      baseline: '—',
      ours: `p50 ${(pymk.percentile(50) / 1e6).toFixed(2)} ms, p99 ${(pymk.percentile(99) / 1e6).toFixed(2)} ms`,
      ratio: null,
      target: opts.full ? 'p99 ≤ 20 ms' : 'report',
      pass: !opts.full || pymk.percentile(99) <= 20e6,
    },
    {
      name: `B3 graph memory (${members.toLocaleString('en')} members, ${edges.toLocaleString('en')} directed edges)`,
      baseline: `${mb(rawCsrBytes)} raw CSR`,
      ours: `${mb(graphBytes)} (adjacency ${mb(adjacencyBytes)}, attributes ${mb(attributeBytes)})`,
      ratio: graphBytes / rawCsrBytes,
      target: '≤ 2×',
      pass: graphBytes <= 2 * rawCsrBytes,
    },
    {
      name: 'B3 cold load',
      baseline: `${(scanMs / 1000).toFixed(2)} s raw scan (${touched.toLocaleString('en')} values)`,
      ours: `${(loadMs / 1000).toFixed(2)} s`,
      ratio: loadMs / scanMs,
      target: '≤ 2×',
      pass: loadMs <= 2 * scanMs,
    },
  ];
}

function bareCsr(graph: GraphService, n: number): Csr {
  const offsets = new Int32Array(n + 1);
  for (let u = 0; u < n; u++) offsets[u + 1] = (offsets[u] as number) + graph.rowOf(u).length;
  const targets = new Int32Array(offsets[n] as number);
  for (let u = 0; u < n; u++) targets.set(graph.rowOf(u), offsets[u] as number);
  return { offsets, targets };
}

/** Baseline and ours alternately, ROUNDS times each; the median milliseconds of each. */
function rounds(base: () => void, ours: () => void): { base: number; ours: number } {
  const b: number[] = [];
  const o: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t = performance.now();
    base();
    b.push(performance.now() - t);
    t = performance.now();
    ours();
    o.push(performance.now() - t);
  }
  return { base: median(b), ours: median(o) };
}

function percentile99<T>(inputs: readonly T[], fn: (x: T) => unknown): number {
  const h = createHistogram();
  for (const x of inputs) {
    const t0 = process.hrtime.bigint();
    fn(x);
    h.record(Number(process.hrtime.bigint() - t0) || 1);
  }
  return h.percentile(99);
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
