/**
 * Group commit (SQLite): many logical transactions share one physical COMMIT, yet each one fails
 * alone, is acknowledged only after that COMMIT, and survives kill -9 once acknowledged. The
 * concurrency and crash tests run on PostgreSQL too, where every transaction commits on its own.
 */
import Sqlite from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Database, type Executor } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { dialects, freshDatabase, type TestDb } from './_util.js';

const ROOT = resolve(import.meta.dirname, '..');
let serial = 0;
const newMember = () => {
  const n = ++serial;
  const id = `00000000-0000-7000-9000-${String(n).padStart(12, '0')}`;
  return {
    id, email: `gc${n}@example.com`, password_hash: 'x', role: 'member' as const, full_name: `Gc ${n}`, search_name: `gc ${n}`, headline: '',
    current_title: '', current_company: '', industry: '', location: '', time_zone: 'UTC', about: '', skills: '[]',
    created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z',
  };
};
const insertMember = async (db: Executor) => {
  const m = newMember();
  await db.insertInto('members').values(m).execute();
  return m.id;
};
const sqliteFile = (url: string) => url.replace(/^sqlite:/, '');

describe.each(dialects)('group commit [%s]', (dialect) => {
  let tdb: TestDb;
  let database: Database;
  /** A second connection (SQLite): sees only what is committed, and reads synchronously inside a hook. */
  let observer: Sqlite.Database | undefined;
  const visible = (id: string) => observer?.prepare('select 1 from members where id = ?').get(id) !== undefined;
  const stored = async (id: string) => (await database.db.selectFrom('members').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

  beforeAll(async () => {
    tdb = await freshDatabase(dialect);
    database = Database.open(tdb.url);
    await migrateToLatest(database);
    if (dialect === 'sqlite') observer = new Sqlite(sqliteFile(tdb.url), { readonly: true });
  });
  afterAll(async () => {
    observer?.close();
    await database.close();
    await tdb.drop();
  });

  it('rolls back only the transactions that throw; the rest commit and run their hooks after the commit', async () => {
    const hooked: string[] = [];
    const seenCommittedInHook: boolean[] = [];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        database.transaction(async (tx) => {
          const id = await insertMember(tx.db);
          tx.onCommit(() => {
            hooked.push(id);
            if (observer) seenCommittedInHook.push(visible(id));
          });
          database.txOf(tx.db).onCommit(() => hooked.push(`after:${id}`), { feedsMemory: true });
          if (i % 7 === 3) throw new Error(`refused ${id}`);
          return id;
        }),
      ),
    );
    const committed = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' && o.reason instanceof Error ? [o.reason.message.replace('refused ', '')] : []));
    expect(committed).toHaveLength(200 - refused.length);
    expect(refused).toHaveLength(Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 7 === 3).length);
    for (const id of committed) expect(await stored(id)).toBe(true);
    for (const id of refused) expect(await stored(id)).toBe(false);
    // Hooks: each committed transaction's, in order (onCommit, then the one reached through txOf); none of a refused one.
    // SQLite commits in submission order; PostgreSQL in whatever order its concurrent commits finish.
    const expected = committed.flatMap((id) => [id, `after:${id}`]);
    if (dialect === 'sqlite') expect(hooked).toEqual(expected);
    else {
      expect([...hooked].sort()).toEqual([...expected].sort());
      for (let i = 0; i < hooked.length; i += 2) expect(hooked[i + 1]).toBe(`after:${hooked[i]}`);
    }
    if (observer) expect(seenCommittedInHook.every(Boolean)).toBe(true);
  });

  it('survives kill -9: every id acknowledged by a resolved transaction is there after reopening', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
      cwd: ROOT,
      env: { ...process.env, GC_URL: tdb.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // 'close', not 'exit': the ids written just before the kill are still in the pipe, and they matter most.
    const killed = new Promise<void>((done) => child.once('close', () => done()));
    await new Promise<void>((done, fail) => {
      const target = 300 + Math.floor(Math.random() * 300);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.split('\n').length > target) done();
      });
      child.once('exit', () => fail(new Error(`the writer exited on its own:\n${err}`)));
    });
    child.kill('SIGKILL');
    await killed;
    // Only whole lines were acknowledged.
    const acked = out.split('\n').slice(0, -1);
    expect(acked.length).toBeGreaterThan(300);
    const reopened = Database.open(tdb.url);
    try {
      const present = new Set((await reopened.db.selectFrom('members').select('id').where('email', 'like', 'crash%').execute()).map((r) => r.id));
      expect(acked.filter((id) => !present.has(id))).toEqual([]);
    } finally {
      await reopened.close();
    }
  }, 60_000);

  describe.runIf(dialect === 'sqlite')('on the one SQLite connection', () => {
    it('acknowledges a transaction only once the COMMIT it shares with later ones has returned', async () => {
      let firstResolved = false;
      let firstId = '';
      const seen: Array<{ resolved: boolean; visible: boolean }> = [];
      const first = database.transaction(async (tx) => (firstId = await insertMember(tx.db))).then((id) => ((firstResolved = true), id));
      const second = database.transaction(async (tx) => {
        // The first one is done (released) but shares this physical transaction: not committed, not acknowledged.
        seen.push({ resolved: firstResolved, visible: visible(firstId) });
        await insertMember(tx.db);
      });
      await Promise.all([first, second]);
      expect(seen).toEqual([{ resolved: false, visible: false }]);
      expect(visible(firstId)).toBe(true);
    });

    it('makes statements outside transactions wait for the open group to commit, so they never read its uncommitted writes', async () => {
      let firstId = '';
      let read: { found: boolean; committed: boolean } | undefined;
      const first = database.transaction(async (tx) => (firstId = await insertMember(tx.db)));
      const second = database.transaction(async (tx) => {
        // Issued while this group is open and holds the first one's uncommitted row.
        void stored(firstId).then((found) => (read = { found, committed: visible(firstId) }));
        await insertMember(tx.db);
        await new Promise((r) => setTimeout(r, 20));
        expect(read).toBeUndefined();
      });
      await Promise.all([first, second]);
      await vi.waitFor(() => expect(read).toBeDefined());
      expect(read).toEqual({ found: true, committed: true });
    });

    it('runs the hooks of a transaction that feeds in-memory state (onCommit feedsMemory) before the next transaction starts', async () => {
      // The graph learns of a new connection from such a hook; a transaction after the accept must see both.
      let known = false;
      const seen: boolean[] = [];
      await Promise.all([
        database.transaction((tx) => insertMember(tx.db)),
        database.transaction(async (tx) => {
          await insertMember(tx.db);
          database.txOf(tx.db).onCommit(() => (known = true), { feedsMemory: true });
        }),
        ...Array.from({ length: 5 }, () =>
          database.transaction(async (tx) => {
            seen.push(known);
            await insertMember(tx.db);
          }),
        ),
      ]);
      expect(seen).toEqual([true, true, true, true, true]);
    });

    it('fails every transaction of a group whose COMMIT fails (a deferred foreign key), and runs none of their hooks', async () => {
      const hooks: string[] = [];
      const ids: string[] = [];
      const run = (poison: boolean) =>
        database.transaction(async (tx) => {
          const id = await insertMember(tx.db);
          ids.push(id);
          tx.onCommit(() => hooks.push(id));
          if (poison) {
            // Checked only at COMMIT: the statement succeeds, the group's COMMIT does not.
            await sql`pragma defer_foreign_keys = on`.execute(tx.db);
            await sql`insert into sessions (id, member_id, token_hash, csrf_token, created_at, expires_at) values (${id}, 'no-such-member', ${id}, 'x', 'x', 'x')`.execute(tx.db);
          }
          return id;
        });
      const outcomes = await Promise.allSettled(Array.from({ length: 21 }, (_, i) => run(i === 10)));
      const poisoned = outcomes[10];
      expect(poisoned?.status === 'rejected' && poisoned.reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
      let failedNeighbours = 0;
      for (const [i, o] of outcomes.entries()) {
        const id = ids[i] ?? '';
        if (o.status === 'fulfilled') {
          expect(await stored(id)).toBe(true);
          expect(hooks).toContain(id);
        } else {
          // Same fate as the poison: same group, nothing kept, no hook.
          expect(o.reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
          expect(await stored(id)).toBe(false);
          expect(hooks).not.toContain(id);
          if (i !== 10) failedNeighbours++;
        }
      }
      expect(failedNeighbours).toBeGreaterThan(0);
      expect(await database.db.selectFrom('sessions').select('id').where('member_id', '=', 'no-such-member').execute()).toEqual([]);
      // The connection is usable again and the pragma did not outlive the group.
      const after = await database.transaction((tx) => insertMember(tx.db));
      expect(visible(after)).toBe(true);
    });

    it('fails the transactions already run in a group when SQLite itself rolls the whole transaction back', async () => {
      // RAISE(ROLLBACK) ends the physical transaction, not only the statement or the savepoint.
      await sql`create temp table tripwire (x text)`.execute(database.db);
      await sql`create temp trigger tripwire_rollback before insert on tripwire begin select raise(rollback, 'tripwire'); end`.execute(database.db);
      const ids: string[] = [];
      const outcomes = await Promise.allSettled(
        Array.from({ length: 11 }, (_, i) =>
          database.transaction(async (tx) => {
            ids[i] = await insertMember(tx.db);
            if (i === 5) await sql`insert into tripwire values ('x')`.execute(tx.db);
          }),
        ),
      );
      expect(outcomes[5]?.status).toBe('rejected');
      for (const [i, o] of outcomes.entries()) {
        // Whatever resolved is stored; whatever was lost with the transaction rejected.
        expect(await stored(ids[i] ?? '')).toBe(o.status === 'fulfilled');
      }
      await sql`drop table temp.tripwire`.execute(database.db);
    });

    it('re-runs only the logical transaction that failed with a transient error', async () => {
      const runs = new Map<number, number>();
      let thrown = false;
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          database.transaction(async (tx) => {
            runs.set(i, (runs.get(i) ?? 0) + 1);
            await insertMember(tx.db);
            if (i === 7 && !thrown) {
              thrown = true;
              throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
            }
          }),
        ),
      );
      expect([...runs.entries()].filter(([, n]) => n !== 1)).toEqual([[7, 2]]);
    });

    it('retries every waiting transaction once another process lets go of the write lock, running each callback once', async () => {
      const other = new Sqlite(sqliteFile(tdb.url));
      other.prepare('begin immediate').run();
      // This thread's busy handler holds the event loop, so the holder can only let go between attempts.
      setTimeout(() => other.prepare('commit').run(), 300);
      const runs: string[] = [];
      const ids = await Promise.all(
        Array.from({ length: 20 }, () =>
          database.transaction(async (tx) => {
            const id = await insertMember(tx.db);
            runs.push(id);
            return id;
          }),
        ),
      );
      other.close();
      expect([...runs].sort()).toEqual([...ids].sort());
      for (const id of ids) expect(visible(id)).toBe(true);
    });
  });
});

/** The writer killed in the crash test: 32 lanes of transactions, printing each id once its promise resolved. */
const CHILD = `
import { Database } from './src/server/db/database.ts';
const database = Database.open(process.env.GC_URL);
let n = 0;
const lane = async (lane) => {
  for (;;) {
    const i = n++;
    const id = '00000000-0000-7000-a000-' + String(i).padStart(12, '0');
    await database.transaction(async (tx) => {
      await tx.db.insertInto('members').values({
        id, email: 'crash' + i + '@example.com', password_hash: 'x', role: 'member', full_name: 'C', search_name: 'c', headline: '',
        current_title: '', current_company: '', industry: '', location: '', time_zone: 'UTC', about: '', skills: '[]',
        created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z',
      }).execute();
    });
    process.stdout.write(id + '\\n');
  }
};
await Promise.all(Array.from({ length: 32 }, (_, i) => lane(i)));
`;
