/** config → context → app → listen; on SIGINT/SIGTERM stop accepting, finish in-flight work, close. */
import { buildApp } from './app.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { createWorker, scheduleRecurring } from './context.jobs.js';
import { closeContext, createContext, publicUrl, type AppContext } from './context.js';

export async function serve(config: Config, beforeListen?: (ctx: AppContext) => Promise<void>, opts: { clock?: Clock } = {}): Promise<void> {
  const ctx = await createContext(config, { clock: opts.clock });
  await beforeListen?.(ctx);
  const app = await buildApp(ctx);
  await app.listen({ host: config.HOST, port: config.PORT });
  ctx.log.info({ url: publicUrl(config), database: ctx.database.dialect }, 'Rapport is listening');

  const worker = config.WORKER_IN_SERVE === 'true' ? createWorker(ctx) : undefined;
  if (worker) {
    await scheduleRecurring(ctx);
    worker.start();
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'shutting down');

    const force = setTimeout(() => process.exit(1), 10_000).unref();
    try {
      await app.close();
      await worker?.stop();
      await closeContext(ctx);
    } finally {
      clearTimeout(force);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/** `rapport worker`: run jobs only, against the same database as the app processes. */
export async function work(config: Config): Promise<void> {
  const ctx = await createContext(config, { graph: false });
  const worker = createWorker(ctx);
  await scheduleRecurring(ctx);
  worker.start();
  ctx.log.info({ worker: worker.id, database: ctx.database.dialect }, 'worker started');
  const stop = async () => {
    await worker.stop();
    await closeContext(ctx);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
