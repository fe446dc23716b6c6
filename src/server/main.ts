/** config → context → app → listen; on SIGINT/SIGTERM stop accepting, finish in-flight work, close. */
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { closeContext, createContext, publicUrl, type AppContext } from './context.js';

export async function serve(config: Config, beforeListen?: (ctx: AppContext) => Promise<void>): Promise<void> {
  const ctx = await createContext(config);
  await beforeListen?.(ctx);
  const app = await buildApp(ctx);
  await app.listen({ host: config.HOST, port: config.PORT });
  ctx.log.info({ url: publicUrl(config), database: ctx.database.dialect }, 'Rapport is listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    try {
      await app.close();
      await closeContext(ctx);
    } finally {
      clearTimeout(force);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
