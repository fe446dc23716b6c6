/**
 * `npm run lighthouse`: Lighthouse 12.2.3 (pinned: 13 needs Node.js 22) scores the pages in PAGES
 * as a phone (Lighthouse's default: mobile, simulated slow 4G and 4× CPU slowdown) and as a desktop
 * (its desktop preset), and rewrites the section of docs/benchmarks.md between LIGHTHOUSE markers.
 * It builds the web app when its sources changed, starts `rapport serve` in production mode on a
 * throwaway SQLite database with the demo network, gives the demo member a few conversations, and
 * drives Debian's Chromium (never downloaded). Member pages are opened with the demo member's session
 * cookie, sent by Lighthouse as an extra header. Nothing leaves localhost.
 *
 *   npm run lighthouse [-- --runs 3]    each score is the median of that many runs (default 1)
 *   -- --page "My Network"               only that page, and docs/benchmarks.md is left alone
 *   -- --reports DIR                     also keep each run's full Lighthouse report (JSON) in DIR
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import lighthouse, { desktopConfig, type Config, type Flags } from 'lighthouse';
import { ensureWebBuilt } from '../test/e2e/global-setup.js';
import { CHROMIUM, CHROMIUM_ARGS, DEMO, freePort, Member, ROOT, startDemoServer } from './demo-server.js';

interface Story {
  /** A connection of the demo member, whose profile is measured. */
  profileId: string;
}

/** The pages measured, in table order. `member` pages are opened signed in as the demo member. */
const PAGES: Array<{ name: string; path: (s: Story) => string; member: boolean }> = [
  { name: 'Log in', path: () => '/login', member: false },
  { name: 'Home', path: () => '/', member: true },
  { name: 'My Network', path: () => '/mynetwork/invitations', member: true },
  { name: 'A profile', path: (s) => `/in/${s.profileId}`, member: true },
  { name: 'Messaging', path: () => '/messaging', member: true },
];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const PRESETS: Array<{ name: string; config?: Config }> = [{ name: 'phone' }, { name: 'desktop', config: desktopConfig }];
const BENCHMARKS = join(ROOT, 'docs/benchmarks.md');
const START = '<!-- lighthouse -->';
const END = '<!-- /lighthouse -->';

interface Score {
  scores: number[];
  lcp: number;
  cls: number;
  /** The audits that cost points outside performance, for the notes under the table. */
  failing: string[];
  /** Performance audits that are not passed, and the elements that shifted: printed, to find causes. */
  hints: string[];
}

async function tellStory(base: string): Promise<{ story: Story; demo: Member }> {
  const demo = await Member.login(base, DEMO);
  const conns = await demo.call<{ items: Array<{ member: { id: string } }> }>('GET', '/connections?limit=3');
  const ids = conns.items.map((c) => c.member.id);
  const first = ids[0];
  if (!first) throw new Error('the demo member needs a connection');
  for (const [i, id] of ids.entries()) {
    const conv = await demo.call<{ id: string }>('POST', '/conversations', { memberId: id });
    await demo.call('POST', `/conversations/${conv.id}/messages`, { body: `Hello! Good to be connected (${i + 1}).` });
  }
  return { story: { profileId: first }, demo };
}

/** Chromium with a DevTools port for Lighthouse; its own throwaway profile. */
async function launchChromium(): Promise<{ port: number; close(): Promise<void> }> {
  const port = await freePort();
  const profile = mkdtempSync(join(tmpdir(), 'rapport-lighthouse-'));
  const child = spawn(CHROMIUM, [...CHROMIUM_ARGS, `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, 'about:blank'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/json/version`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function measure(url: string, port: number, cookie: string | undefined, config: Config | undefined, report?: string): Promise<Score> {
  const flags: Flags = { port, logLevel: 'error', output: 'json', onlyCategories: [...CATEGORIES], extraHeaders: cookie ? { Cookie: cookie } : undefined };
  const result = await lighthouse(url, flags, config);
  const lhr = result?.lhr;
  if (!lhr) throw new Error(`Lighthouse returned nothing for ${url}`);
  if (report) writeFileSync(report, JSON.stringify(lhr));
  if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  if (cookie && new URL(lhr.finalDisplayedUrl).pathname === '/login') throw new Error(`${url} ended at the login page: the session cookie was not accepted`);
  const failing = new Set<string>();
  for (const id of CATEGORIES) {
    if (id === 'performance') continue;
    for (const ref of lhr.categories[id]?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id];
      if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) failing.add(audit.title);
    }
  }
  const hints: string[] = [];
  for (const ref of lhr.categories.performance?.auditRefs ?? []) {
    const audit = lhr.audits[ref.id];
    if (audit && audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== 'informative') hints.push(`${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ''}`);
  }
  const shifts = lhr.audits['layout-shifts']?.details;
  if (shifts?.type === 'table') {
    for (const item of shifts.items.slice(0, 3)) {
      const node = item.node as { selector?: string } | undefined;
      hints.push(`shifted: ${node?.selector ?? '?'} (${Number(item.score).toFixed(3)})`);
    }
  }
  return {
    hints,
    scores: CATEGORIES.map((id) => Math.round((lhr.categories[id]?.score ?? 0) * 100)),
    lcp: lhr.audits['largest-contentful-paint']?.numericValue ?? NaN,
    cls: lhr.audits['cumulative-layout-shift']?.numericValue ?? NaN,
    failing: [...failing],
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function medianScore(runs: Score[]): Score {
  return {
    scores: CATEGORIES.map((_, i) => median(runs.map((r) => r.scores[i] ?? NaN))),
    lcp: median(runs.map((r) => r.lcp)),
    cls: median(runs.map((r) => r.cls)),
    failing: [...new Set(runs.flatMap((r) => r.failing))],
    hints: [...new Set(runs.flatMap((r) => r.hints))],
  };
}

function section(rows: Array<{ page: string; preset: string; score: Score }>, runs: number): string {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const cpu = cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const chromium = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const lines = [
    START,
    '## Lighthouse',
    '',
    `- Command: \`npm run lighthouse${runs > 1 ? ` -- --runs ${runs}` : ''}\` (\`scripts/lighthouse.ts\`), ${runs === 1 ? 'one run' : `median of ${runs} runs`} per cell`,
    `- Lighthouse 12.2.3, ${chromium}; phone: Lighthouse's default (mobile, simulated slow 4G, 4× CPU slowdown); desktop: its desktop preset`,
    `- Machine: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${loadavg()[0]?.toFixed(2)} at the end`,
    `- Node.js ${process.version}, commit ${commit}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    '| page | device | performance | accessibility | best practices | SEO | LCP | CLS |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(({ page, preset, score }) => `| ${page} | ${preset} | ${score.scores.join(' | ')} | ${(score.lcp / 1000).toFixed(1)} s | ${score.cls.toFixed(3)} |`),
  ];
  const failing = rows.filter((r) => r.score.failing.length > 0);
  if (failing.length > 0) {
    lines.push('', 'Audits that cost points outside performance:', '');
    for (const r of failing) lines.push(`- ${r.page} (${r.preset}): ${r.score.failing.join('; ')}`);
  }
  lines.push(END);
  return lines.join('\n');
}

function writeSection(text: string): void {
  const doc = readFileSync(BENCHMARKS, 'utf8');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  const next = start >= 0 && end > start ? doc.slice(0, start) + text + doc.slice(end + END.length) : `${doc.trimEnd()}\n\n${text}\n`;
  writeFileSync(BENCHMARKS, next);
}

async function main() {
  const option = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const runs = Number(option('--runs') ?? 1);
  const only = option('--page');
  const reports = option('--reports');
  if (reports) mkdirSync(reports, { recursive: true });
  const pages = PAGES.filter((p) => !only || p.name === only);
  if (pages.length === 0) throw new Error(`no page named ${only}; the pages are ${PAGES.map((p) => p.name).join(', ')}`);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number of at least 1');
  ensureWebBuilt();
  const server = await startDemoServer();
  const chromium = await launchChromium();
  try {
    const { story, demo } = await tellStory(server.base);
    const rows: Array<{ page: string; preset: string; score: Score }> = [];
    for (const page of pages) {
      for (const preset of PRESETS) {
        const url = `${server.base}${page.path(story)}`;
        const scores: Score[] = [];
        for (let i = 0; i < runs; i++) {
          const report = reports && join(reports, `${page.name}-${preset.name}-${i + 1}.json`.replaceAll(' ', '-').toLowerCase());
          scores.push(await measure(url, chromium.port, page.member ? demo.cookie : undefined, preset.config, report));
        }
        const score = medianScore(scores);
        rows.push({ page: page.name, preset: preset.name, score });
        process.stdout.write(`${page.name} (${preset.name}): ${CATEGORIES.map((c, i) => `${c} ${score.scores[i]}`).join(', ')}, LCP ${(score.lcp / 1000).toFixed(1)} s, CLS ${score.cls.toFixed(3)}\n`);
        for (const title of score.failing) process.stdout.write(`  - ${title}\n`);
        for (const hint of score.hints) process.stdout.write(`    ${hint}\n`);
      }
    }
    if (!only) {
      writeSection(section(rows, runs));
      process.stdout.write(`written to ${BENCHMARKS}\n`);
    }
  } finally {
    await chromium.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
