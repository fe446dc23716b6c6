/**
 * Committed changes, told to every process that keeps state in memory (the graph).
 *
 * - `publish(db, topic, payload)` inside a transaction: the local subscribers hear it right after
 *   the commit (and never after a rollback). On PostgreSQL it is also a `pg_notify` in the same
 *   transaction, which PostgreSQL delivers at commit, in commit order, to every listening process.
 * - Each process LISTENs on one dedicated connection and skips its own notifications (it heard them
 *   locally already). If that connection drops, notifications may have been missed: subscribers get
 *   `resync()` after it reconnects, and reload what they hold.
 * - SQLite serves one app process, so there the feed is local only.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database, Executor } from './database.js';

const CHANNEL = 'rapport_changes';
const RECONNECT_MS = 1000;

export interface Subscriber {
  change(topic: string, payload: string): void;
  resync(): void;
}

export class ChangeFeed {
  private readonly origin = randomUUID();
  private readonly subscribers: Subscriber[] = [];
  private client: pg.Client | undefined;
  private closed = false;

  constructor(
    private readonly database: Database,
    private readonly log: Logger,
  ) {}

  /** Returns a function that unsubscribes. */
  subscribe(s: Subscriber): () => void {
    this.subscribers.push(s);
    return () => {
      const at = this.subscribers.indexOf(s);
      if (at >= 0) this.subscribers.splice(at, 1);
    };
  }

  async publish(db: Executor, topic: string, payload: string): Promise<void> {
    if (this.database.dialect === 'postgres') {
      await sql`select pg_notify(${CHANNEL}, ${`${this.origin}|${topic}|${payload}`})`.execute(db);
    }
    this.database.txOf(db).onCommit(() => this.deliver(topic, payload), { feedsMemory: true });
  }

  /** Start listening for other processes' changes (PostgreSQL). Resolves once listening. */
  async start(): Promise<void> {
    if (this.database.dialect !== 'postgres' || this.closed) return;
    const client = new pg.Client({ connectionString: this.database.url });
    client.on('notification', (n) => this.receive(n.payload ?? ''));
    client.on('error', (err) => {
      this.log.warn({ err }, 'the change feed connection failed; reconnecting');
      void this.restart(client);
    });
    await client.connect();
    await client.query(`listen ${CHANNEL}`);
    this.client = client;
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async restart(failed: pg.Client): Promise<void> {
    if (this.client !== failed) return;
    this.client = undefined;
    await failed.end().catch(() => undefined);
    while (!this.closed) {
      try {
        await new Promise((r) => setTimeout(r, RECONNECT_MS));
        await this.start();
        for (const s of this.subscribers) s.resync();
        return;
      } catch (err) {
        this.log.warn({ err }, 'the change feed could not reconnect yet');
      }
    }
  }

  private receive(raw: string): void {
    const [origin, topic, ...rest] = raw.split('|');
    if (origin === this.origin || topic === undefined) return;
    this.deliver(topic, rest.join('|'));
  }

  private deliver(topic: string, payload: string): void {
    for (const s of this.subscribers) {
      try {
        s.change(topic, payload);
      } catch (err) {
        this.log.error({ err, topic }, 'a change subscriber failed');
      }
    }
  }
}
