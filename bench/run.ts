/**
 * `npm run bench`: runs each benchmark with its baseline in the same process, prints a table and
 * writes docs/benchmarks.md with the machine, Node version, commit and command.
 */
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchSeed } from './seed.js';

interface Row {
  name: string;
  baseline: string;
  ours: string;
  ratio: string;
  target: string;
  pass: boolean;
}

const members = Number(process.env.BENCH_SEED_MEMBERS ?? 10_000);
const s = await benchSeed(members);
const totalS = (s.membersMs + s.networkMs) / 1000;
const rows: Row[] = [
  {
    name: `B0 seed ${members.toLocaleString('en')} members (profiles only)`,
    baseline: `${(s.baselineMs / 1000).toFixed(2)} s raw better-sqlite3`,
    ours: `${(s.membersMs / 1000).toFixed(2)} s`,
    ratio: `${(s.membersMs / s.baselineMs).toFixed(2)}×`,
    target: 'report',
    pass: true,
  },
  {
    name: `B0 seed ${members.toLocaleString('en')} members + ${s.connections.toLocaleString('en')} connections`,
    baseline: '—',
    ours: `${totalS.toFixed(2)} s`,
    ratio: '—',
    target: '≤ 30 s',
    pass: totalS <= 30,
  },
];

const header = '| benchmark | baseline | ours | ratio | target | result |\n|---|---|---|---|---|---|';
const table = [header, ...rows.map((r) => `| ${r.name} | ${r.baseline} | ${r.ours} | ${r.ratio} | ${r.target} | ${r.pass ? 'pass' : 'FAIL'} |`)].join('\n');
console.log(table);

const commit = execSync('git rev-parse --short HEAD').toString().trim();
const cpu = cpus()[0]?.model ?? 'unknown CPU';
writeFileSync(
  'docs/benchmarks.md',
  `# Benchmarks

Produced by \`npm run bench\` (\`bench/run.ts\`); every baseline runs in the same process as the
measurement it is compared with. Rerun it to refresh this page.

- Machine: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB
- Node.js ${process.version}, commit ${commit}, ${new Date().toISOString().slice(0, 10)}
- Command: \`npm run bench\` (\`BENCH_SEED_MEMBERS=${members}\`)

${table}

B0 is the \`rapport seed\` path on SQLite with \`synchronous=FULL\`: generated members with profiles,
past positions and education, then the structured network, every connection backed by an accepted
invitation and its events. The baseline inserts the same member, position and education rows with
raw prepared statements in one transaction.
`,
);
