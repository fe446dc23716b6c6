/**
 * SQLite WAL checkpoints off the event loop.
 *
 * By default SQLite checkpoints inside the COMMIT that takes the write-ahead log past 1,000 pages:
 * that COMMIT copies the log's pages back into the database file and fsyncs it, 10–35 ms on the
 * benchmark machine, with the event loop blocked and every request waiting. The server's connection
 * turns automatic checkpoints off, and a worker thread with its own connection runs a PASSIVE
 * checkpoint every INTERVAL_MS instead (docs/storage.md, "Checkpoints").
 *
 * States: running (the worker checkpoints on its timer) → closing (one last checkpoint) → closed.
 * If the worker fails, the connection goes back to automatic checkpoints: the log never grows
 * without bound.
 *
 * Invariants:
 * - A checkpoint changes nothing that is durable: with synchronous=FULL every committed page is on
 *   disk in the log before the COMMIT returns; the checkpoint only copies it into the main file.
 * - PASSIVE never waits for the writer or readers and never blocks them: pages a reader may still
 *   need stay in the log until a later checkpoint.
 * - `close()` resolves after the worker's last checkpoint and its connection closed; until
 *   `restart()`, the process's own connection is the only one to the file (a journal-mode switch,
 *   which the bulk loader makes, needs that).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

const INTERVAL_MS = 100;
const CLOSE_TIMEOUT_MS = 5000;

// Plain CommonJS, run with `eval`, so the same code works from src/ (tsx) and from dist/.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Sqlite = require(workerData.driver);
const db = new Sqlite(workerData.file, { timeout: 1000 });
db.pragma('synchronous = FULL');
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)');
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { checkpoint(); } finally { db.close(); parentPort.close(); }
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly file: string,
  ) {
    sqlite.pragma('wal_autocheckpoint = 0');
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, intervalMs: INTERVAL_MS },
    });
    // A process may exit with its database open (a CLI command that ends): the worker does not hold it.
    this.worker.unref();
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.once('error', () => {
        if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
        resolve();
      });
    });
  }

  /** A new worker for the same connection, after `close()`. */
  restart(): Checkpointer {
    return new Checkpointer(this.sqlite, this.file);
  }

  async close(): Promise<void> {
    this.worker.postMessage('close');
    const timeout = setTimeout(() => void this.worker.terminate(), CLOSE_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timeout);
  }
}
