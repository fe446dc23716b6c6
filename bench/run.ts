/**
 * `npm run bench [-- --quick]`: seeds a network with `rapport seed` (quick: 100,000 members, average
 * degree 50; full: 1,000,000 members, 100M directed edges), runs B1–B6, prints the table and writes
 * this mode's section of docs/benchmarks.md with the machine, Node version, commit and command.
 * `npm run bench -- --sequence` runs B6 alone (no seed) and writes its own section. B6 runs on
 * PostgreSQL too when RAPPORT_TEST_PG_URL is set.
 * Every baseline runs in the same process or the same run as the measurement it is compared with.
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { graphBench } from './graph.js';
import { httpBench } from './http.js';
import { sequenceBench } from './sequence.js';
import { table, type Row } from './table.js';

const quick = process.argv.includes('--quick');
const sequenceOnly = process.argv.includes('--sequence');
const mode = sequenceOnly ? 'sequence' : quick ? 'quick' : 'full';
const members = Number(process.env.BENCH_MEMBERS ?? (quick ? 100_000 : 1_000_000));
const avgDegree = Number(process.env.BENCH_AVG_DEGREE ?? (quick ? 50 : 100));
const seedTarget = quick ? 60 : 600;

const dir = mkdtempSync(join(tmpdir(), 'rapport-bench-'));
const file = join(dir, 'rapport.db');
try {
  const rows: Row[] = [];
  if (sequenceOnly) {
    rows.push(...(await sequenceBench()));
    const out = table(rows);
    console.log(out);
    writeSection(out);
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
  const started = performance.now();
  execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'seed', '--members', String(members), '--avg-degree', String(avgDegree), '--seed', '1'], {
    env: { ...process.env, DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const seedS = (performance.now() - started) / 1000;
  rows.push({
    name: `B0 rapport seed --members ${members.toLocaleString('en')} --avg-degree ${avgDegree} (SQLite)`,
    baseline: '—',
    ours: `${seedS.toFixed(1)} s`,
    ratio: null,
    target: `≤ ${seedTarget} s`,
    pass: seedS <= seedTarget,
  });
  rows.push(...(await graphBench(file, { pairs: quick ? 20_000 : 100_000, viewers: quick ? 200 : 500, full: !quick })));
  rows.push(...(await httpBench(file)));
  rows.push(...(await sequenceBench()));
  const out = table(rows);
  console.log(out);
  writeSection(out);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function writeSection(out: string): void {
  const path = 'docs/benchmarks.md';
  const commit = execSync('git rev-parse --short HEAD').toString().trim();
  const dirty = execSync('git status --porcelain -- src bench').toString().trim() ? ' (with uncommitted changes)' : '';
  const section = `<!-- ${mode} -->
## ${sequenceOnly ? 'B6 alone' : quick ? 'Quick mode' : 'Full mode'}

- Command: \`${sequenceOnly ? 'RAPPORT_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test ' : ''}npm run bench${sequenceOnly ? ' -- --sequence' : quick ? ' -- --quick' : ''}\`
- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${loadavg()[0]?.toFixed(2)} at the end
- Node.js ${process.version}, commit ${commit}${dirty}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC

${out}
<!-- /${mode} -->`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const pattern = new RegExp(`<!-- ${mode} -->[\\s\\S]*?<!-- /${mode} -->`);
  const intro = `# Benchmarks

Produced by \`npm run bench\` (full) and \`npm run bench -- --quick\` (\`bench/run.ts\`); each run
rewrites its own section below. What each row measures, and its baseline, is in \`bench/graph.ts\`
\`bench/http.ts\` and \`bench/sequence.ts\`; docs/graph.md explains the design.
`;
  const body = pattern.test(current) ? current.replace(pattern, section) : `${current.includes('<!-- ') ? current.trimEnd() : intro}\n\n${section}\n`;
  writeFileSync(path, body);
}
