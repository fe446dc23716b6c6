/** The storage wrapper: commit hooks, rollback, durability settings and lock handling, on both dialects. */
import Sqlite from 'better-sqlite3';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, isUniqueViolation } from '../src/server/db/database.js';
import { migrateTo, migrateToLatest } from '../src/server/db/migrate.js';
import { EMPTY_PROFILE } from '../src/server/modules/members/index.js';
import { dialects, freshDatabase, type TestDb } from './_util.js';

const email = (n: number) => ({ id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`, email: `db${n}@example.com` });
const member = (n: number) => ({
  ...email(n),
  password_hash: 'x',
  role: 'member' as const,
  full_name: `Db ${n}`,
  search_name: `db ${n}`,
  // The profile columns of migration 0001, the same defaults as every member row (members/).
  ...EMPTY_PROFILE,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
});

describe.each(dialects)('migration 0009, connections stored in their key [%s]', (dialect) => {
  it('keeps every connection row up and down; on SQLite the table is WITHOUT ROWID after it', async () => {
    const tdb = await freshDatabase(dialect);
    const database = Database.open(tdb.url);
    try {
      await migrateTo(database, '0008-member-indexes');
      await database.db.insertInto('members').values([member(1), member(2), member(3)]).execute();
      const rows = [
        [1, 2],
        [2, 1],
        [1, 3],
        [3, 1],
      ].map(([a, b], i) => ({ member_id: member(a as number).id, other_id: member(b as number).id, invitation_id: `inv-${i}`, created_at: `2026-01-0${i + 1}T00:00:00.000Z` }));
      await database.db.insertInto('connections').values(rows).execute();
      const all = () => database.db.selectFrom('connections').selectAll().orderBy('member_id').orderBy('other_id').execute();
      const before = await all();
      const clustered = async () => {
        const found = await sql<{ sql: string }>`select sql from sqlite_master where name = 'connections'`.execute(database.db);
        return /without rowid/i.test(found.rows[0]?.sql ?? '');
      };

      expect(await migrateTo(database, '0009-connections-clustered')).toEqual(['0009-connections-clustered']);
      expect(await all()).toEqual(before);
      if (dialect === 'sqlite') {
        expect(await clustered()).toBe(true);
        const plan = await sql<{ detail: string }>`explain query plan select created_at from connections where member_id = ${member(1).id} order by created_at`.execute(database.db);
        expect(plan.rows.map((r) => r.detail).join(' ')).toContain('connections_recent');
      }
      await expect(database.db.insertInto('connections').values(rows[0] as (typeof rows)[0]).execute()).rejects.toSatisfy(isUniqueViolation);

      await migrateTo(database, '0008-member-indexes');
      expect(await all()).toEqual(before);
      if (dialect === 'sqlite') expect(await clustered()).toBe(false);
    } finally {
      await database.close();
      await tdb.drop();
    }
  });
});

describe.each(dialects)('database wrapper [%s]', (dialect) => {
  let tdb: TestDb;
  let database: Database;
  beforeAll(async () => {
    tdb = await freshDatabase(dialect);
    database = Database.open(tdb.url);
    // Later migrations join the list; these must all be among them.
    expect(await migrateToLatest(database)).toEqual(expect.arrayContaining(['0001-foundation', '0002-invitations', '0003-safety', '0004-jobs', '0005-email', '0006-messaging']));
  });
  afterAll(async () => {
    await database.close();
    await tdb.drop();
  });

  it('runs onCommit hooks after commit, in order, and only then', async () => {
    const seen: string[] = [];
    await database.transaction(async (tx) => {
      await tx.db.insertInto('members').values(member(1)).execute();
      tx.onCommit(() => seen.push('first'));
      tx.onCommit(() => seen.push('second'));
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual(['first', 'second']);
  });

  it('rolls back on error and drops the hooks', async () => {
    const seen: string[] = [];
    await expect(
      database.transaction(async (tx) => {
        await tx.db.insertInto('members').values(member(2)).execute();
        tx.onCommit(() => seen.push('never'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(seen).toEqual([]);
    expect(await database.db.selectFrom('members').select('id').where('id', '=', member(2).id).executeTakeFirst()).toBeUndefined();
  });

  it('reports a duplicate as a unique violation, not a generic error', async () => {
    const err = await database.transaction((tx) => tx.db.insertInto('members').values(member(1)).execute()).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
  });

  it('is idempotent to migrate again', async () => {
    expect(await migrateToLatest(database)).toEqual([]);
  });

  it.runIf(dialect === 'sqlite')('uses WAL and synchronous=FULL', async () => {
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
    const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(database.db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    expect(sync.rows[0]?.synchronous).toBe(2);
  });

  it.runIf(dialect === 'sqlite')('checkpoints in a worker thread, and the log stays bounded under a stream of writes', async () => {
    const file = tdb.url.replace(/^sqlite:/, '');
    const size = (f: string) => statSync(f).size;
    const before = size(file);
    // About 2 MB of committed rows, half of what makes SQLite checkpoint inside a COMMIT: they reach
    // the main file only through the worker.
    const write = async (from: number, rows: number, perTx: number) => {
      for (let n = from; n < from + rows; n += perTx) {
        await database.transaction(async (tx) => {
          const batch = Array.from({ length: perTx }, (_, k) => ({ ...member(n + k), about: 'x'.repeat(4000) }));
          await tx.db.insertInto('members').values(batch).execute();
        });
      }
    };
    await write(100, 500, 1);
    const deadline = Date.now() + 5000;
    while (size(file) < before + 2_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(size(file)).toBeGreaterThanOrEqual(before + 2_000_000);
    // About 16 MB more without a pause: the log is restarted as it goes instead of growing with them.
    await write(1000, 4000, 10);
    expect(size(`${file}-wal`)).toBeLessThan(10_000_000);
  });

  it.runIf(dialect === 'sqlite')('leaves the write lock to another process between long transactions instead of starving it', async () => {
    // Ten transactions back to back, each holding the write lock 150 ms (bulk work, like the demo seed).
    const series = (async () => {
      for (let n = 0; n < 10; n++) {
        await database.transaction(async (tx) => {
          await tx.db.insertInto('members').values(member(900_000 + n)).execute();
          await new Promise((r) => setTimeout(r, 150));
        });
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    // A writer on another thread (its busy handler sleeps there, as in another process) with a 10 s busy timeout.
    const waited = await new Promise<number>((resolve, reject) => {
      const other = new Worker(
        `const { parentPort, workerData } = require('node:worker_threads');
         const db = new (require(workerData.driver))(workerData.file, { timeout: 10000 });
         const t0 = performance.now();
         db.exec('begin immediate'); db.exec('commit'); db.close();
         parentPort.postMessage(performance.now() - t0);`,
        { eval: true, workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file: tdb.url.replace(/^sqlite:/, '') } },
      );
      other.once('message', (ms: number) => resolve(ms));
      other.once('error', reject);
    });
    await series;
    // Without the gap after a long transaction it waits for the whole series (about 1.4 s).
    expect(waited).toBeLessThan(700);
  });

  it.runIf(dialect === 'sqlite')('retries past another connection holding the write lock instead of failing', async () => {
    // The holder lives on this thread, so it can only let go after the busy timeout: this drives the retry path.
    const other = new Sqlite(tdb.url.replace(/^sqlite:/, ''));
    other.prepare('begin immediate').run();
    setTimeout(() => other.prepare('commit').run(), 300);
    await database.transaction(async (tx) => {
      await tx.db.insertInto('members').values(member(3)).execute();
    });
    other.close();
    expect(await database.db.selectFrom('members').select('id').where('id', '=', member(3).id).executeTakeFirst()).toBeDefined();
  });
});
