/**
 * The server under load for B4/B5: the real app on a seeded database (worker off: jobs queue up
 * and are not run), plus a public hello route as the in-server baseline. Prints `listening <port>`.
 */
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { createContext } from '../src/server/context.js';

const config = loadConfig({
  ...process.env,
  LOG_LEVEL: 'silent',
  WORKER_IN_SERVE: 'false',
  RATE_LIMIT_API_PER_MINUTE: '100000000',
  RATE_LIMIT_API_PER_IP_PER_MINUTE: '100000000',
  INVITE_WEEKLY_LIMIT: '1000000',
  INVITE_OUTSTANDING_LIMIT: '1000000',
  // Benchmark senders invite random members: keep the product limits from refusing them, so B5
  // measures the whole send path (the limits are still checked on every send).
  SAFETY_RESTRICT_BEYOND_NETWORK: '1000000',
});
const ctx = await createContext(config);
const app = await buildApp(ctx);
app.get('/bench/hello', { config: { auth: 'public' } }, async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: config.PORT });
process.stdout.write(`listening ${config.PORT}\n`);
