import { z } from 'zod';
import { MESSAGE_MAX } from '../contracts/messaging.js';

/**
 * Every setting Rapport reads from the environment, parsed once at boot.
 * The README's configuration table lists each of these; keep the two in step.
 */
const int = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: int(3000),
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: z.string().default('sqlite:./data/rapport.db'),
  DATABASE_POOL_SIZE: int(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  SESSION_TTL_DAYS: int(30),
  BODY_LIMIT_BYTES: int(64 * 1024),
  WORKER_IN_SERVE: z.enum(['true', 'false']).default('true'),
  WORKER_CONCURRENCY: int(4),
  WORKER_POLL_MS: int(1000),
  WORKER_LEASE_SECONDS: int(60),
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  SEED_MEMBERS: int(250),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Rapport <no-reply@rapport.localhost>'),
  // Signs unsubscribe links. Unset: a random secret is generated on first boot and kept in the database.
  EMAIL_TOKEN_SECRET: z.string().min(16).optional(),
  REMINDER_FIRST_DAYS: int(3),
  REMINDER_SECOND_DAYS: int(14),
  MESSAGE_DIGEST_DELAY_MINUTES: int(15),
  RATE_LIMIT_AUTH_PER_IP: int(20),
  RATE_LIMIT_AUTH_WINDOW_SECONDS: int(60),
  LOGIN_FAILURES_PER_ACCOUNT: int(5),
  LOGIN_FAILURE_WINDOW_SECONDS: int(15 * 60),
  PASSWORD_HASH_CONCURRENCY: int(2),
  INVITE_NOTE_MAX: int(300),
  INVITE_WEEKLY_LIMIT: int(100),
  INVITE_OUTSTANDING_LIMIT: int(500),
  INVITE_COOLDOWN_DAYS: int(21),
  INVITE_EXPIRY_DAYS: int(180),
  CONNECTION_LIMIT: int(30_000),
  GRAPH_HUB_CAP: z.coerce.number().int().min(1).default(1000),
  GRAPH_SECOND_HOP_BUDGET: z.coerce.number().int().min(1).default(100_000),
  GRAPH_SUGGESTIONS_PER_ORG: z.coerce.number().int().min(1).default(200),
  // The API's contract refuses more than MESSAGE_MAX whatever this says, so boot refuses a larger value.
  MESSAGE_MAX_CHARS: z.coerce.number().int().min(1).max(MESSAGE_MAX).default(MESSAGE_MAX),
  SAFETY_SIGNAL_DAYS: int(90),
  SAFETY_WARN_IDK: int(4), // PRODUCT.md publishes 2; the simulation (docs/safety.md) chose 4
  SAFETY_WARN_ACCEPTANCE_PERCENT: int(20),
  SAFETY_WARN_ACCEPTANCE_SAMPLE: int(50),
  SAFETY_RESTRICT_IDK: int(5),
  SAFETY_RESTRICT_SPAM_UPHELD: int(2),
  SAFETY_RESTRICT_BEYOND_NETWORK: int(8),
  SAFETY_BEYOND_NETWORK_DAYS: int(7),
  SAFETY_RESTRICTED_WEEKLY_LIMIT: int(20),
  SAFETY_SUSPEND_FIRST_DAYS: int(7),
  SAFETY_SUSPEND_REPEAT_DAYS: int(30),
  SAFETY_CLEAN_DAYS: int(30),
  SAFETY_ANSWER_GRACE_DAYS: int(7),
  // The ladder moves only in this scheduled batch, never in reaction to one answer (docs/safety.md).
  SAFETY_EVALUATION_MINUTES: z.coerce.number().int().min(1).default(60),
  SAFETY_NEWCOMER_DAYS: int(30),
  SAFETY_NEWCOMER_WEEKLY_LIMIT: int(30),
  SAFETY_NEWCOMER_ACCEPTANCE_PERCENT: int(50),
  RATE_LIMIT_API_PER_MINUTE: int(600),
  RATE_LIMIT_API_PER_IP_PER_MINUTE: int(1200),
});

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
