/**
 * One autocannon run, as its own process (pinned to its own core by bench/http.ts). Arguments: a
 * JSON file with { url, connections, seconds, requests: [{ method, path, headers, body? }] }; the
 * requests are used round robin, each at most once when `once` is set. Prints autocannon's result as JSON.
 */
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

interface Spec {
  url: string;
  connections: number;
  seconds: number;
  requests: Array<{ method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string }>;
}

const spec = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Spec;
let next = 0;
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.seconds,
  requests: [
    {
      setupRequest: (req) => {
        const r = spec.requests[next++ % spec.requests.length];
        if (!r) return req;
        return { ...req, method: r.method, path: r.path, headers: r.headers, ...(r.body !== undefined && { body: r.body }) };
      },
    },
  ],
});
process.stdout.write(JSON.stringify({ rps: result.requests.average, p99: result.latency.p99, p999: result.latency.p99_9 ?? result.latency.p99, max: result.latency.max, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, total: result.requests.total }));
