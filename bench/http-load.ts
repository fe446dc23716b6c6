/**
 * One autocannon run, as its own process (pinned to its own core by bench/http.ts). Arguments: a
 * JSON file with { url, connections, seconds, warmup, requests: [{ method, path, headers, body? }] };
 * the requests are used round robin. The first `warmup` of them run before the measured run and are
 * not counted (the JIT compiles, caches fill); the measured run goes on from the next one. Prints
 * autocannon's result as JSON.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

interface Spec {
  url: string;
  connections: number;
  seconds: number;
  warmup: number;
  requests: Array<{ method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string }>;
}

const spec = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Spec;
let next = 0;
const run = (limit: { duration: number } | { amount: number }) =>
  autocannon({ url: spec.url, connections: spec.connections, ...limit, requests });
const requests: autocannon.Request[] = [
  {
    setupRequest: (req) => {
      const r = spec.requests[next++ % spec.requests.length];
      if (!r) return req;
      return { ...req, method: r.method, path: r.path, headers: r.headers, ...(r.body !== undefined && { body: r.body }) };
    },
  },
];
if (spec.warmup > 0) await run({ amount: spec.warmup });
const result = await run({ duration: spec.seconds });
process.stdout.write(JSON.stringify({ rps: result.requests.average, p99: result.latency.p99, p999: result.latency.p99_9 ?? result.latency.p99, max: result.latency.max, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, total: result.requests.total }));
