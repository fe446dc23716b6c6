/**
 * `rapport simulate safety`: a generated network on a fresh temporary SQLite database, with a
 * ManualClock moved from event to event, and every invitation, answer and moderator decision made
 * through the real services (ctx.invitations, ctx.moderation; ctx.safety through them).
 */
import pino from 'pino';
import { DAY_MS, ManualClock } from '../../server/clock.js';
import { loadConfig } from '../../server/config.js';
import { closeContext, createContext } from '../../server/context.js';
import { prng } from '../prng.js';
import { Actors } from './actors.js';
import { EventQueue } from './events.js';
import { DEFAULT_MODEL, type BehaviourModel } from './model.js';
import { buildPopulation } from './population.js';
import { buildReport, type SafetyReport } from './report.js';

export interface SimulationOptions {
  seed: number;
  members: number;
  days: number;
  model?: BehaviourModel;
  /** Settings (SAFETY_*, INVITE_*) as environment variables; the database is always a fresh temporary one. */
  env?: Record<string, string | undefined>;
  onDay?: (day: number) => void;
}

const SIMULATION_START = '2026-03-02T00:00:00.000Z';

export async function runSafetySimulation(opts: SimulationOptions): Promise<SafetyReport> {
  const started = performance.now();
  const model = opts.model ?? DEFAULT_MODEL;
  // A throwaway in-memory database: nothing to clean up, and no disk in the measurement.
  const config = loadConfig({ ...opts.env, DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent' });
  const clock = new ManualClock(SIMULATION_START);
  const ctx = await createContext(config, { clock, log: pino({ level: 'silent' }) });
  try {
    const rnd = prng(opts.seed);
    const pop = await buildPopulation(ctx, rnd, { members: opts.members, seed: opts.seed }, model);
    // The population is written straight to the tables: load the graph the send-time signal reads.
    await ctx.graph.load();
    const start = clock.now().getTime();
    const queue = new EventQueue();
    const actors = new Actors(ctx, clock, pop, rnd, model, queue);
    actors.start(start);
    for (let day = 1; day <= opts.days; day++) {
      for (let e = queue.popUntil(start + day * DAY_MS); e; e = queue.popUntil(start + day * DAY_MS)) await actors.handle(e);
      opts.onDay?.(day);
    }
    clock.set(new Date(start + opts.days * DAY_MS));
    return await buildReport(ctx, pop, actors.activity, {
      seed: opts.seed,
      days: opts.days,
      model,
      startedAt: new Date(start).toISOString(),
      runtimeMs: performance.now() - started,
    });
  } finally {
    await closeContext(ctx);
  }
}
