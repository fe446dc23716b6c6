/** The durable queue's semantics, on both dialects, with a moved clock. */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../src/server/clock.js';
import { Database } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { backoffMs, JobQueue, type JobDefinition } from '../src/server/jobs/queue.js';
import { Worker } from '../src/server/jobs/worker.js';
import { dialects, freshDatabase, type TestDb } from './_util.js';

const log = pino({ level: 'silent' });
const Payload = z.object({ n: z.number() });

describe.each(dialects)('job queue [%s]', (dialect) => {
  let tdb: TestDb;
  let database: Database;
  let clock: ManualClock;
  let queue: JobQueue;
  beforeAll(async () => {
    tdb = await freshDatabase(dialect);
    database = Database.open(tdb.url);
    await migrateToLatest(database);
    clock = new ManualClock('2026-05-01T00:00:00.000Z');
    queue = new JobQueue(database, clock);
  });
  afterAll(async () => {
    await database.close();
    await tdb.drop();
  });

  let seq = 0;
  /** A job type of its own per test, recording what it ran. */
  function jobType(run: (n: number, attempts: number) => Promise<void> = async () => undefined) {
    const seen: number[] = [];
    const def: JobDefinition<typeof Payload> = {
      name: `test.job${++seq}`,
      schema: Payload,
      run: async ({ n }, job) => {
        seen.push(n);
        await run(n, job.attempts);
      },
    };
    const worker = new Worker(queue, log, { concurrency: 4, pollMs: 20, leaseMs: 60_000 });
    worker.register(def);
    return { def, seen, worker };
  }
  const enqueue = (def: { name: string }, n: number, opts = {}) => database.transaction((tx) => queue.enqueue(tx, def, { n }, opts));
  const rows = (name: string) => database.db.selectFrom('jobs').selectAll().where('name', '=', name).orderBy('id').execute();

  it('enqueues only with a committed transaction', async () => {
    const { def, seen, worker } = jobType();
    await expect(
      database.transaction(async (tx) => {
        await queue.enqueue(tx, def, { n: 1 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await enqueue(def, 2);
    expect(await worker.runDue()).toBe(1);
    expect(seen).toEqual([2]);
    expect((await rows(def.name)).map((r) => r.state)).toEqual(['done']);
  });

  it('retries with exponential backoff, then fails for good after max attempts', async () => {
    const { def, seen, worker } = jobType(async () => {
      throw new Error('smtp down');
    });
    await enqueue(def, 7, { maxAttempts: 3 });
    expect(await worker.runDue()).toBe(1);
    let [job] = await rows(def.name);
    expect(job).toMatchObject({ state: 'queued', attempts: 1, last_error: 'smtp down', run_at: new Date(clock.now().getTime() + backoffMs(1)).toISOString() });
    expect(await worker.runDue()).toBe(0); // not due yet
    clock.advance(backoffMs(1));
    expect(await worker.runDue()).toBe(1);
    [job] = await rows(def.name);
    expect(job).toMatchObject({ state: 'queued', attempts: 2 });
    clock.advance(backoffMs(2));
    await worker.runDue();
    [job] = await rows(def.name);
    expect(job).toMatchObject({ state: 'failed', attempts: 3 });
    expect(seen).toEqual([7, 7, 7]);
  });

  it('succeeds on a retry after transient failures', async () => {
    const { def, worker } = jobType(async (_n, attempts) => {
      if (attempts < 3) throw new Error('flaky');
    });
    await enqueue(def, 1);
    for (let i = 0; i < 3; i++) {
      await worker.runDue();
      clock.advance(backoffMs(i + 1));
    }
    expect((await rows(def.name))[0]).toMatchObject({ state: 'done', attempts: 3 });
  });

  it('fails a job with an invalid payload at once, without retries', async () => {
    const { def, seen, worker } = jobType();
    await database.transaction((tx) => queue.enqueue(tx, def, { n: 'not a number' } as unknown as { n: number }));
    await worker.runDue();
    expect((await rows(def.name))[0]).toMatchObject({ state: 'failed', attempts: 1 });
    expect(seen).toEqual([]);
  });

  it('holds a delayed job until its run time', async () => {
    const { def, seen, worker } = jobType();
    await enqueue(def, 3, { runAt: new Date(clock.now().getTime() + 60_000) });
    expect(await worker.runDue()).toBe(0);
    clock.advance(60_000);
    expect(await worker.runDue()).toBe(1);
    expect(seen).toEqual([3]);
  });

  it('dedupes by key: one queued job per key, the first one kept', async () => {
    const { def, seen, worker } = jobType();
    await enqueue(def, 1, { key: 'digest:a' });
    await enqueue(def, 2, { key: 'digest:a' });
    await enqueue(def, 3, { key: 'digest:b' });
    await worker.runDue();
    expect(seen.sort()).toEqual([1, 3]);
    await enqueue(def, 4, { key: 'digest:a' }); // the key is free again once its job ran
    await worker.runDue();
    expect(seen.sort()).toEqual([1, 3, 4]);
  });

  it('debounces by key: the latest payload runs, at the latest run time', async () => {
    const { def, seen, worker } = jobType();
    const at = (s: number) => new Date(clock.now().getTime() + s * 1000);
    await enqueue(def, 1, { key: 'messages:x', mode: 'debounce', runAt: at(60) });
    clock.advance(30_000);
    await enqueue(def, 2, { key: 'messages:x', mode: 'debounce', runAt: at(60) });
    clock.advance(40_000);
    expect(await worker.runDue()).toBe(0);
    clock.advance(20_000);
    expect(await worker.runDue()).toBe(1);
    expect(seen).toEqual([2]);
  });

  it("recovers a job whose worker crashed: the lease passes and another worker runs it; the first one's late completion is ignored", async () => {
    const { def, seen, worker } = jobType();
    await enqueue(def, 9);
    const [claimed] = await queue.claim('crashed-worker', 1, 5_000);
    expect(claimed?.name).toBe(def.name);
    expect(await worker.runDue()).toBe(0); // still leased
    clock.advance(5_001);
    expect(await worker.runDue()).toBe(1);
    expect(seen).toEqual([9]);
    if (claimed) await queue.complete(claimed, 'crashed-worker');
    expect((await rows(def.name))[0]).toMatchObject({ state: 'done', attempts: 2, locked_by: null });
  });

  it('drains on stop: jobs in flight finish, nothing new is claimed', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { def, seen, worker } = jobType(async () => gate);
    await enqueue(def, 1);
    worker.start();
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 10));
    const stopped = worker.stop();
    await enqueue(def, 2);
    setTimeout(release, 50);
    await stopped;
    expect((await rows(def.name)).map((r) => r.state)).toEqual(['done', 'queued']);
    expect(seen).toEqual([1]);
  });

  it.runIf(dialect === 'postgres')(
    'shares 5,000 jobs between two workers on separate connection pools, each effect observed exactly once',
    async () => {
      const second = Database.open(tdb.url);
      const effects = new Map<number, number>();
      const byWorker = [0, 0];
      const def = (w: number): JobDefinition<typeof Payload> => ({
        name: 'test.many',
        schema: Payload,
        run: async ({ n }) => {
          effects.set(n, (effects.get(n) ?? 0) + 1);
          byWorker[w] = (byWorker[w] ?? 0) + 1;
        },
      });
      const workers = [database, second].map((db, i) => {
        const w = new Worker(new JobQueue(db, clock), log, { concurrency: 16, pollMs: 10, leaseMs: 60_000 });
        w.register(def(i));
        return w;
      });
      for (let i = 0; i < 5_000; i += 500) {
        await database.transaction(async (tx) => {
          for (let n = i; n < i + 500; n++) await queue.enqueue(tx, def(0), { n }, { key: `effect:${n}` });
        });
      }
      await Promise.all(workers.map((w) => w.runDue()));
      await second.close();
      expect(effects.size).toBe(5_000);
      expect([...effects.values()].every((c) => c === 1)).toBe(true);
      expect(byWorker[0]).toBeGreaterThan(0);
      expect(byWorker[1]).toBeGreaterThan(0);
      expect((byWorker[0] ?? 0) + (byWorker[1] ?? 0)).toBe(5_000);
      console.log(`two workers: ${byWorker[0]} + ${byWorker[1]} jobs, ${effects.size} distinct effects, 0 duplicates`);
    },
    120_000,
  );
});
