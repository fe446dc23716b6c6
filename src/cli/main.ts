#!/usr/bin/env node
/** `rapport serve | migrate | seed | admin create | simulate safety` */
import { Command } from 'commander';
import { loadConfig } from '../server/config.js';
import { closeContext, createContext, publicUrl } from '../server/context.js';
import { serve, work } from '../server/main.js';
import { TravelClock } from '../server/clock.js';
import { availableDemoLogin, DEMO_LOGIN } from '../server/modules/auth/index.js';
import { seedDemoLife } from './seed-life.js';
import { seedNetwork } from './seed-network.js';
import { demoAccountExists, seedDemo, seedMembers } from './seed.js';
import { formatReport } from './simulate/report.js';
import { runSafetySimulation } from './simulate/run.js';

const program = new Command('rapport').description('Rapport: a self-hostable professional network');

program
  .command('serve')
  .description('migrate, seed a demo network on an empty database (SEED_DEMO), and serve the API and web app')
  .action(async () => {
    const config = loadConfig();
    // The demo seed plays the demo account's last weeks at their own times, then resumes the clock.
    const clock = new TravelClock();
    await serve(
      config,
      async (ctx) => {
        if (config.SEED_DEMO === 'true' && (await seedDemo(ctx, config.SEED_MEMBERS, clock))) {
          ctx.log.info(`seeded a demo network of ${config.SEED_MEMBERS} members`);
        }
        const url = publicUrl(config);
        // Only a login that works: the seeded demo account, with its seeded password.
        const demo = await availableDemoLogin(ctx.database.db);
        const lines = [`Rapport is starting on ${url}`, demo && `Demo login: ${demo.email} / ${demo.password}`, `API docs:   ${url}/api/docs`];
        process.stdout.write(`\n${lines.filter(Boolean).map((l) => `  ${l}\n`).join('')}\n`);
      },
      { clock },
    );
  });

program
  .command('worker')
  .description('run background jobs only (emails, expiry, reminders); run several against one PostgreSQL')
  .action(async () => {
    await work(loadConfig());
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const ctx = await createContext(loadConfig(), { graph: false });
    await closeContext(ctx);
    process.stdout.write('database is up to date\n');
  });

program
  .command('seed')
  .description('add generated members with realistic profiles and connections')
  .option('--members <n>', 'how many members', '1000')
  .option('--avg-degree <d>', 'average connections per member', '10')
  .option('--seed <s>', 'PRNG seed', '1')
  .action(async (opts: { members: string; avgDegree: string; seed: string }) => {
    const clock = new TravelClock();
    const ctx = await createContext(loadConfig(), { graph: false, clock });
    try {
      const started = Date.now();
      const seed = Number(opts.seed);
      // The first seed of a database also makes the demo account, so the demo login works.
      const demoAccount = !(await demoAccountExists(ctx));
      const members = await seedMembers(ctx, { members: Number(opts.members), seed, progress: true, demoAccount });
      const network = await seedNetwork(ctx, members, { seed, avgDegree: Number(opts.avgDegree) });
      const demo = demoAccount ? members[0] : undefined;
      if (demo) await seedDemoLife(ctx, demo.id, { seed, clock });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`seeded ${members.length} members and ${network.connections} connections in ${seconds} s\n`);
      if (demo) process.stdout.write(`demo login: ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}\n`);
    } finally {
      await closeContext(ctx);
    }
  });

const admin = program.command('admin').description('administrator accounts');
admin
  .command('create')
  .description('create an administrator (or promote an existing member)')
  .requiredOption('--email <email>')
  .requiredOption('--password <password>')
  .option('--name <name>', 'full name', 'Administrator')
  .action(async (opts: { email: string; password: string; name: string }) => {
    const ctx = await createContext(loadConfig(), { graph: false });
    try {
      const email = await ctx.auth.createAdmin({ email: opts.email, password: opts.password, fullName: opts.name });
      process.stdout.write(`${email} is an administrator\n`);
    } finally {
      await closeContext(ctx);
    }
  });

const simulate = program.command('simulate').description('simulations on a throwaway database');
simulate
  .command('safety')
  .description('honest senders and spammers inviting through the real services: who the safety ladder catches, and how soon')
  .requiredOption('--seed <s>', 'PRNG seed')
  .option('--members <n>', 'how many members (5% spammers, 25% honest senders)', '1000')
  .option('--days <d>', 'simulated days', '60')
  .option('--json', 'print the report as JSON')
  .action(async (opts: { seed: string; members: string; days: string; json?: boolean }) => {
    const count = (name: string, v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
      return n;
    };
    const days = count('days', opts.days);
    const report = await runSafetySimulation({
      seed: count('seed', opts.seed),
      members: count('members', opts.members),
      days,
      env: process.env,
      onDay: process.stderr.isTTY ? (d) => process.stderr.write(`\rsimulated day ${d}/${days}${d === days ? '\n' : ''}`) : undefined,
    });
    process.stdout.write(`${opts.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
  });

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
