/**
 * Everything a request or job needs, built once at boot and passed explicitly. No container:
 * a service receives exactly the parts it uses, in its constructor.
 */
import type { Logger } from 'pino';
import { DAY_MS, systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { ChangeFeed } from './db/change-feed.js';
import { Database } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createLogger } from './logging.js';
import { AccountDeletionService } from './modules/account/account-deletion.service.js';
import { AccountExportService } from './modules/account/account-export.service.js';
import { AccountService } from './modules/auth/account.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { PasswordHasher } from './modules/auth/password.js';
import { JobQueue } from './jobs/queue.js';
import { SequenceRunner } from './jobs/sequence.js';
import { createEmail, type EmailServices } from './modules/mail/email.module.js';
import type { Mailer } from './modules/mail/mailer.js';
import { GraphService } from './modules/graph/graph.service.js';
import { SuggestionService } from './modules/graph/suggestions.service.js';
import { ConnectionService } from './modules/connections/connection.service.js';
import { InvitationService } from './modules/invitations/invitation.service.js';
import { MemberService } from './modules/members/member.service.js';
import { MessagingService } from './modules/messaging/messaging.service.js';
import { NotificationService } from './modules/notifications/notification.service.js';
import { ModerationService } from './modules/safety/moderation.service.js';
import { SafetyService, safetySettings } from './modules/safety/safety.service.js';

export interface AppContext {
  config: Config;
  clock: Clock;
  log: Logger;
  database: Database;
  feed: ChangeFeed;
  graph: GraphService;
  suggestions: SuggestionService;
  passwords: PasswordHasher;
  jobs: JobQueue;
  sequences: SequenceRunner;
  mailer: Mailer;
  email: EmailServices;
  auth: AuthService;
  account: AccountService;
  accountExport: AccountExportService;
  accountDeletion: AccountDeletionService;
  members: MemberService;
  invitations: InvitationService;
  connections: ConnectionService;
  messaging: MessagingService;
  notifications: NotificationService;
  safety: SafetyService;
  moderation: ModerationService;
}

export function publicUrl(config: Config): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '');
}

/** `graph: false` for processes that answer no graph questions (workers, CLI tools): no load, no LISTEN. */
export async function createContext(config: Config, opts: { clock?: Clock; log?: Logger; graph?: boolean } = {}): Promise<AppContext> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger(config);
  const database = Database.open(config.DATABASE_URL, {
    poolSize: config.DATABASE_POOL_SIZE,
    onIdleError: (err) => log.warn({ err }, 'an idle database connection failed; the pool replaces it'),
  });
  await migrateToLatest(database);
  const url = publicUrl(config);
  const passwords = new PasswordHasher(config.PASSWORD_HASH_CONCURRENCY);
  const jobs = new JobQueue(database, clock);
  const sequences = new SequenceRunner(database, clock, jobs);
  const { mailer, email } = await createEmail(config, database, clock, jobs, sequences, url);
  const auth = new AuthService(database, clock, passwords, mailer, {
    sessionTtlMs: config.SESSION_TTL_DAYS * DAY_MS,
    attemptsPerAccount: config.LOGIN_FAILURES_PER_ACCOUNT,
    attemptWindowMs: config.LOGIN_FAILURE_WINDOW_SECONDS * 1000,
    publicUrl: url,
  });
  const feed = new ChangeFeed(database, log);
  const graph = new GraphService(database, feed, log);
  // Listen first, then load: a change committed in between is heard, held back and replayed.
  if (opts.graph !== false) {
    await feed.start();
    await graph.load();
  }
  const suggestions = new SuggestionService(database, graph, { hubCap: config.GRAPH_HUB_CAP, budget: config.GRAPH_SECOND_HOP_BUDGET, perOrg: config.GRAPH_SUGGESTIONS_PER_ORG });
  const members = new MemberService(database, clock, graph);
  // Credential and profile changes go on the feed; on SQLite both are also cached (docs/security.md).
  auth.useFeed(feed);
  members.useFeed(feed);
  const safety = new SafetyService(database, clock, safetySettings(config));
  const invitations = new InvitationService(database, clock, {
    noteMax: config.INVITE_NOTE_MAX,
    weeklyLimit: config.INVITE_WEEKLY_LIMIT,
    outstandingLimit: config.INVITE_OUTSTANDING_LIMIT,
    cooldownMs: config.INVITE_COOLDOWN_DAYS * DAY_MS,
    expiryMs: config.INVITE_EXPIRY_DAYS * DAY_MS,
    connectionLimit: config.CONNECTION_LIMIT,
  }, safety, graph, [email.invitations, graph.invitationEffects, email.reminders.invitationEffects]);
  const connections = new ConnectionService(database, clock, graph);
  const messaging = new MessagingService(database, clock, { maxChars: config.MESSAGE_MAX_CHARS }, email.messageDigests);
  const notifications = new NotificationService(database, clock);
  const moderation = new ModerationService(database, clock, safety);
  const account = new AccountService(database, clock, auth, passwords, mailer, url);
  const accountExport = new AccountExportService(database, clock, { account, members, invitations, messaging, notifications, preferences: mailer.preferences });
  const accountDeletion = new AccountDeletionService(database, clock, { account, invitations, connections, messaging, notifications, members, mailer });
  return {
    config, clock, log, database, feed, graph, suggestions, passwords, jobs, sequences, mailer, email, auth, account, accountExport, accountDeletion,
    members, invitations, connections, messaging, notifications, safety, moderation,
  };
}

export async function closeContext(ctx: AppContext): Promise<void> {
  ctx.mailer.close();
  await ctx.feed.close();
  await ctx.database.close();
}
