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
import { createMailer } from './modules/mail/email.module.js';
import type { Mailer } from './modules/mail/mailer.js';
import { GraphService } from './modules/graph/graph.service.js';
import { SuggestionService } from './modules/graph/suggestions.service.js';
import { blockedEitherWay, ConnectionService, notBlocked } from './modules/connections/index.js';
import { counterpartsOf, findInvitations, InvitationEmails, InvitationService, invitationEmailCheck, invitationSignals, openWaitingFor } from './modules/invitations/index.js';
import { MemberService } from './modules/members/member.service.js';
import { conversationIdsByPair, digestEmailCheck, MessageDigests, MessagingService, unreadConversations } from './modules/messaging/index.js';
import { NotificationService } from './modules/notifications/index.js';
import { ReminderService } from './modules/reminders/reminder.service.js';
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
  invitationEmails: InvitationEmails;
  messageDigests: MessageDigests;
  reminders: ReminderService;
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
  const mailer = await createMailer(config, database, clock, jobs, url);
  const invitationEmails = new InvitationEmails(database, mailer, url);
  const messageDigests = new MessageDigests(database, jobs, mailer, { delayMs: config.MESSAGE_DIGEST_DELAY_MINUTES * 60_000, publicUrl: url });
  // The send-time check of each email kind (email.kinds.ts), by the module that writes it. The
  // reminder digest's is registered by ReminderService itself.
  mailer.addCheck('invitation', invitationEmailCheck);
  mailer.addCheck('message-digest', digestEmailCheck(url));
  const reminders = new ReminderService(database, clock, jobs, sequences, mailer, {
    firstDays: config.REMINDER_FIRST_DAYS,
    secondDays: config.REMINDER_SECOND_DAYS,
    publicUrl: url,
  });
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
  const suggestions = new SuggestionService(
    database,
    graph,
    { hubCap: config.GRAPH_HUB_CAP, budget: config.GRAPH_SECOND_HOP_BUDGET, perOrg: config.GRAPH_SUGGESTIONS_PER_ORG },
    { invitationCounterparts: counterpartsOf, openInvitationsWaiting: openWaitingFor, blockedEitherWay },
  );
  const members = new MemberService(database, clock, graph, notBlocked);
  // Credential and profile changes go on the feed; on SQLite both are also cached (docs/security.md).
  auth.useFeed(feed);
  members.useFeed(feed);
  // safety/ reads invitations/ through what is handed in here (safety.sources.ts): invitations/ calls safety/, so no import back.
  const safety = new SafetyService(database, clock, safetySettings(config), { ...invitationSignals, findInvitations });
  const connections = new ConnectionService(database, clock, graph);
  const invitations = new InvitationService(database, clock, {
    noteMax: config.INVITE_NOTE_MAX,
    weeklyLimit: config.INVITE_WEEKLY_LIMIT,
    outstandingLimit: config.INVITE_OUTSTANDING_LIMIT,
    cooldownMs: config.INVITE_COOLDOWN_DAYS * DAY_MS,
    expiryMs: config.INVITE_EXPIRY_DAYS * DAY_MS,
    connectionLimit: config.CONNECTION_LIMIT,
  }, safety, graph, connections, conversationIdsByPair, [invitationEmails, reminders.invitationEffects]);
  // Blocking withdraws invitations, removing a connection logs it: invitations/ owns both.
  connections.addEffects(invitations.connectionEffects);
  const messaging = new MessagingService(database, clock, { maxChars: config.MESSAGE_MAX_CHARS }, messageDigests);
  const notifications = new NotificationService(database, clock, unreadConversations);
  const moderation = new ModerationService(database, clock, safety);
  const account = new AccountService(database, clock, auth, passwords, mailer, url);
  const accountExport = new AccountExportService(database, clock, { account, members, invitations, messaging, notifications, preferences: mailer.preferences });
  const accountDeletion = new AccountDeletionService(database, clock, { account, invitations, connections, messaging, notifications, members, mailer });
  return {
    config, clock, log, database, feed, graph, suggestions, passwords, jobs, sequences, mailer, invitationEmails, messageDigests, reminders, auth, account, accountExport, accountDeletion,
    members, invitations, connections, messaging, notifications, safety, moderation,
  };
}

export async function closeContext(ctx: AppContext): Promise<void> {
  ctx.mailer.close();
  await ctx.feed.close();
  await ctx.database.close();
}
