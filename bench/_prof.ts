import { loadConfig } from '../src/server/config.js';
import { closeContext, createContext } from '../src/server/context.js';
import { seedMembers } from '../src/cli/seed.js';
import { buildNetwork } from '../src/cli/seed-data.js';
const n = Number(process.argv[2]); const d = Number(process.argv[3]);
const ctx = await createContext(loadConfig({ DATABASE_URL: `sqlite:/tmp/seedprof/p.db`, LOG_LEVEL: 'silent' }));
let t = performance.now();
const m = await seedMembers(ctx, { members: n, seed: 1 });
console.log('members', (performance.now() - t).toFixed(0)); t = performance.now();
const net = buildNetwork(m, { seed: 1, avgDegree: d, maxDegree: 30000 });
console.log('network', (performance.now() - t).toFixed(0), net.connections);
let max = 0; const degs: number[] = [];
for (let i = 0; i < n; i++) { const x = (net.offsets[i+1] as number) - (net.offsets[i] as number); degs.push(x); if (x > max) max = x; }
degs.sort((a, b) => a - b);
console.log('max', max, 'median', degs[n >> 1], 'p90', degs[Math.floor(n * 0.9)], 'p99', degs[Math.floor(n * 0.99)], 'zero', degs.filter((x) => x === 0).length);
await closeContext(ctx);
