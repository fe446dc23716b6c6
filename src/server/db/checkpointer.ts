/**
 * SQLite WAL checkpoints mostly off the event loop.
 *
 * SQLite checkpoints inside the COMMIT that takes the write-ahead log past 1,000 pages: that COMMIT
 * copies the log's pages back into the database file and fsyncs it, with the event loop blocked and
 * every request waiting (10–22 ms, one COMMIT in ten, under a stream of sends). A worker thread with
 * its own connection now runs a PASSIVE checkpoint every INTERVAL_MS, so that automatic checkpoint
 * finds most pages copied already (docs/storage.md, "Checkpoints").
 *
 * The server's connection keeps its automatic checkpoint: only a checkpoint that has caught up with
 * the writer lets the next transaction restart the log from its beginning, and under a steady stream
 * of writes the worker's never has (the log grew past 130 MB in seconds without it).
 *
 * States: running (the worker checkpoints on its timer) → closing (one last checkpoint) → closed.
 *
 * Invariants:
 * - A checkpoint changes nothing that is durable: with synchronous=FULL every committed page is on
 *   disk in the log before the COMMIT returns; a checkpoint only copies it into the main file.
 * - PASSIVE never waits for the writer or readers and never blocks them. Another process's
 *   checkpoint holding the lock makes the worker try again next time.
 * - `close()` resolves after the worker's last checkpoint and its connection closed; until
 *   `restart()`, the process's own connection is the only one to the file (a journal-mode switch,
 *   which the bulk loader makes, needs that).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const INTERVAL_MS = 100;
const CLOSE_TIMEOUT_MS = 5000;

// Plain CommonJS, run with `eval`, so the same code works from src/ (tsx) and from dist/.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Sqlite = require(workerData.driver);
const db = new Sqlite(workerData.file, { timeout: 1000 });
db.pragma('synchronous = FULL');
// Another process's checkpoint (a \`rapport worker\` on the same file) may hold the lock: try next time.
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { if (err.code !== 'SQLITE_BUSY' && err.code !== 'SQLITE_LOCKED') throw err; }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { checkpoint(); } finally { db.close(); parentPort.close(); }
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(private readonly file: string) {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, intervalMs: INTERVAL_MS },
    });
    // A process may exit with its database open (a CLI command that ends): the worker does not hold it.
    this.worker.unref();
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', () => resolve());
      // A failed worker leaves the connection's own automatic checkpoint, as without one.
      this.worker.once('error', () => resolve());
    });
  }

  /** A new worker for the same file, after `close()`. */
  restart(): Checkpointer {
    return new Checkpointer(this.file);
  }

  async close(): Promise<void> {
    this.worker.postMessage('close');
    const timeout = setTimeout(() => void this.worker.terminate(), CLOSE_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timeout);
  }
}
