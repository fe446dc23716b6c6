/**
 * `tsx bench/joined-reads.ts`: the joined reads that docs/architecture.md allows, against their
 * two-query form (skeleton → hydrate through members/index.ts), on the same database in the same
 * run, interleaved round by round. SQLite always; PostgreSQL too when RAPPORT_TEST_PG_URL is set.
 *
 * The one measured: the credential lookup of every authenticated request that misses the principal
 * cache (always, on PostgreSQL): a live session and its member, one indexed query with a join
 * (what auth.repository.ts did before issue #16) versus the session (`liveSession`), then
 * `members.findById` (what auth.service.ts does now).
 */
import { Database } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { newSecret, sha256 } from '../src/server/ids.js';
import * as auth from '../src/server/modules/auth/auth.repository.js';
import * as members from '../src/server/modules/members/index.js';
import { dialects, freshDatabase } from '../test/_util.js';

const MEMBERS = 5_000;
const LOOKUPS = 4_000;
const ROUNDS = 5;
const now = new Date().toISOString();
const later = new Date(Date.now() + 86_400_000).toISOString();

async function bench(dialect: 'sqlite' | 'postgres') {
  const tdb = await freshDatabase(dialect);
  const database = Database.open(tdb.url);
  try {
    await migrateToLatest(database);
    const hashes: string[] = [];
    for (let k = 0; k < MEMBERS; k += 500) {
      await database.transaction(async (tx) => {
        for (let i = k; i < Math.min(MEMBERS, k + 500); i++) {
          const row = members.newMemberRow({ email: `bench${i}@example.com`, passwordHash: 'x', fullName: `Bench ${i}`, now });
          await members.insertMember(tx.db, row);
          const hash = sha256(newSecret('rps'));
          hashes.push(hash);
          await auth.insertSession(tx.db, { id: `${row.id}-s`, member_id: row.id, token_hash: hash, csrf_token: 'c', created_at: now, expires_at: later });
        }
      });
    }
    const db = database.db;
    const pick = (i: number) => hashes[(i * 7919) % hashes.length] ?? '';
    const joinedRead = (hash: string) =>
      db
        .selectFrom('sessions as s')
        .innerJoin('members as m', 'm.id', 's.member_id')
        .select(['s.id', 's.member_id', 's.csrf_token', 's.expires_at', 's.last_seen_at', 'm.role', 'm.email', 'm.full_name'])
        .where('s.token_hash', '=', hash)
        .where('s.expires_at', '>', now)
        .executeTakeFirst();
    const joined = async () => {
      for (let i = 0; i < LOOKUPS; i++) if (!(await joinedRead(pick(i)))) throw new Error('missing');
    };
    const twoQueries = async () => {
      for (let i = 0; i < LOOKUPS; i++) {
        const s = await auth.liveSession(db, pick(i), now);
        if (!s || !(await members.findById(db, s.member_id))) throw new Error('missing');
      }
    };
    const times = { joined: [] as number[], twoQueries: [] as number[] };
    await joined();
    await twoQueries();
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, fn] of [['joined', joined], ['twoQueries', twoQueries]] as const) {
        const t = performance.now();
        await fn();
        times[name].push(performance.now() - t);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const perSec = (ms: number) => Math.round((LOOKUPS / ms) * 1000);
    const j = perSec(median(times.joined));
    const t = perSec(median(times.twoQueries));
    console.log(`${dialect}: session + member lookups/s, median of ${ROUNDS} rounds of ${LOOKUPS}: joined ${j}, two queries ${t}, joined/two = ${(j / t).toFixed(2)}×`);
  } finally {
    await database.close();
    await tdb.drop();
  }
}

for (const dialect of dialects) await bench(dialect);
