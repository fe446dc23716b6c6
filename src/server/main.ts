/** config → context → app → listen; on SIGINT/SIGTERM stop accepting, finish in-flight work, close. */
import { buildApp } from './app.js';
import type { Config } from './config.js';

const EXPIRY_SWEEP_MS = 15 * 60 * 1000;
import { closeContext, createContext, publicUrl, type AppContext } from './context.js';

export async function serve(config: Config, beforeListen?: (ctx: AppContext) => Promise<void>): Promise<void> {
  const ctx = await createContext(config);
  await beforeListen?.(ctx);
  const app = await buildApp(ctx);
  await app.listen({ host: config.HOST, port: config.PORT });
  ctx.log.info({ url: publicUrl(config), database: ctx.database.dialect }, 'Rapport is listening');

  // Expiry is also applied lazily on every read and write; this persists it (and its events) in bulk.
  const sweep = () =>
    ctx.invitations.expireDue().then(
      (n) => n > 0 && ctx.log.info({ expired: n }, 'expired invitations'),
      (err: unknown) => ctx.log.error({ err }, 'expiry sweep failed'),
    );
  void sweep();
  const sweeper = setInterval(() => void sweep(), EXPIRY_SWEEP_MS).unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'shutting down');
    clearInterval(sweeper);
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
