/**
 * The profile relationship read: the one `union all` over blocks, connections and invitations
 * (invitations/invitation.repository.ts `standing`) against the module-by-module form (a block
 * query and a connection query through connections/, then the open invitation through
 * invitations/), on the same database, interleaved over rounds; the median round counts.
 * docs/architecture.md ("Joined reads that stay") quotes it. Run: `npx tsx bench/relationship-join.ts`
 * (PostgreSQL too with RAPPORT_TEST_PG_URL).
 */
import { Database } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { newId, pairKey } from '../src/server/ids.js';
import { find as findConnection, isBlockedEitherWay } from '../src/server/modules/connections/connection.repository.js';
import { findOpen, standing } from '../src/server/modules/invitations/invitation.repository.js';
import { prng } from '../src/cli/prng.js';
import { freshDatabase } from '../test/_util.js';

const MEMBERS = 5000;
const CALLS = 4000;
const ROUNDS = 5;

async function open(dialect: 'sqlite' | 'postgres'): Promise<{ database: Database; drop: () => Promise<void> }> {
  const tdb = await freshDatabase(dialect);
  return { database: Database.open(tdb.url), drop: tdb.drop };
}

async function run(dialect: 'sqlite' | 'postgres') {
  const { database, drop } = await open(dialect);
  await migrateToLatest(database);
  const now = '2026-03-01T00:00:00.000Z';
  const ids = Array.from({ length: MEMBERS }, () => newId()).sort();
  await database.transaction(async (tx) => {
    for (let i = 0; i < ids.length; i += 500) {
      await tx.db
        .insertInto('members')
        .values(ids.slice(i, i + 500).map((id, k) => ({ id, email: `b${i + k}@example.com`, password_hash: 'x', role: 'member' as const, full_name: `B ${i + k}`, search_name: `b ${i + k}`, headline: '', current_title: '', current_company: '', industry: '', location: '', time_zone: 'UTC', about: '', skills: '[]', created_at: now, updated_at: now, deleted_at: null })))
        .execute();
    }
  });
  const rnd = prng(7);
  const pick = () => ids[Math.floor(rnd() * ids.length)] as string;
  const pairs = Array.from({ length: CALLS }, () => [pick(), pick()] as const).filter(([a, b]) => a !== b);
  // A third of the pairs connected, a sixth with an open invitation, one in fifty blocked.
  await database.transaction(async (tx) => {
    for (const [i, [a, b]] of pairs.entries()) {
      if (i % 3 === 0) {
        await tx.db.insertInto('connections').values([{ member_id: a, other_id: b, invitation_id: 'seeded', created_at: now }, { member_id: b, other_id: a, invitation_id: 'seeded', created_at: now }]).onConflict((oc) => oc.doNothing()).execute();
      } else if (i % 6 === 1) {
        await tx.db.insertInto('invitations').values({ id: newId(), sender_id: a, recipient_id: b, pair_key: pairKey(a, b), note: null, status: 'pending', idk: 0, spam: 0, created_at: now, expires_at: '2026-09-01T00:00:00.000Z', ignored_at: null, closed_at: null, beyond_network: 0 }).onConflict((oc) => oc.doNothing()).execute();
      } else if (i % 50 === 2) {
        await tx.db.insertInto('blocks').values({ blocker_id: a, blocked_id: b, created_at: now }).onConflict((oc) => oc.doNothing()).execute();
      }
    }
  });
  const db = database.db;
  const joined = async () => {
    for (const [i, [a, b]] of pairs.entries()) await standing(db, a, b, i % 3 === 0);
  };
  const separate = async () => {
    for (const [i, [a, b]] of pairs.entries()) {
      if (await isBlockedEitherWay(db, a, b)) continue;
      if (i % 3 === 0 && (await findConnection(db, a, b))) continue;
      await findOpen(db, pairKey(a, b));
    }
  };
  const times: Record<string, number[]> = { joined: [], separate: [] };
  await joined();
  await separate(); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of Object.entries({ joined, separate })) {
      const t0 = performance.now();
      await fn();
      times[name]?.push(((performance.now() - t0) * 1000) / pairs.length);
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  console.log(`${dialect}: ${pairs.length} pairs, µs per relationship read (median of ${ROUNDS}): union all ${median(times.joined ?? []).toFixed(1)}, module by module ${median(times.separate ?? []).toFixed(1)}`);
  await database.close();
  await drop();
}

await run('sqlite');
if (process.env.RAPPORT_TEST_PG_URL) await run('postgres');
