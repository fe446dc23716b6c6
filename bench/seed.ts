/**
 * B0 seed: `rapport seed --members N` on SQLite, against a baseline run in the same process:
 * the same generated member, position and education rows inserted with raw better-sqlite3 prepared
 * statements in one transaction (no Kysely, no network, no chunked transactions).
 */
import Sqlite from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '../src/cli/prng.js';
import { generateMember, seedMembers } from '../src/cli/seed.js';
import { seedNetwork } from '../src/cli/seed-network.js';
import { loadConfig } from '../src/server/config.js';
import { closeContext, createContext } from '../src/server/context.js';

export interface SeedResult {
  members: number;
  connections: number;
  /** Members with profiles, through Kysely in chunked transactions: the part the baseline also does. */
  membersMs: number;
  /** Connections and invitations on top. */
  networkMs: number;
  baselineMs: number;
}

export async function benchSeed(members: number, avgDegree = 10): Promise<SeedResult> {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-bench-'));
  try {
    const ctx = await createContext(loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'ours.db')}`, LOG_LEVEL: 'silent' }));
    const t0 = performance.now();
    const seeded = await seedMembers(ctx, { members, seed: 1 });
    const membersMs = performance.now() - t0;
    const network = await seedNetwork(ctx, seeded, { seed: 1, avgDegree });
    const networkMs = performance.now() - t0 - membersMs;
    await closeContext(ctx);

    // Baseline: same schema (migrated by a second context), raw prepared inserts in one transaction.
    const base = await createContext(loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'base.db')}`, LOG_LEVEL: 'silent' }));
    await closeContext(base);
    const raw = new Sqlite(join(dir, 'base.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    const rnd = prng(1);
    const rows = Array.from({ length: members }, (_, i) => generateMember(rnd, i, 'hash', new Date().toISOString()));
    const t1 = performance.now();
    const insertMember = raw.prepare(
      'insert into members (id,email,password_hash,role,full_name,search_name,headline,current_title,current_company,industry,location,time_zone,about,skills,created_at,updated_at) values (@id,@email,@password_hash,@role,@full_name,@search_name,@headline,@current_title,@current_company,@industry,@location,@time_zone,@about,@skills,@created_at,@updated_at)',
    );
    const insertPosition = raw.prepare('insert into positions (id,member_id,ordinal,title,company,start_year,end_year) values (@id,@member_id,@ordinal,@title,@company,@start_year,@end_year)');
    const insertEducation = raw.prepare('insert into educations (id,member_id,ordinal,school,degree,field,start_year,end_year) values (@id,@member_id,@ordinal,@school,@degree,@field,@start_year,@end_year)');
    raw.transaction(() => {
      for (const g of rows) {
        insertMember.run(g.member);
        for (const p of g.positions) insertPosition.run(p);
        for (const e of g.educations) insertEducation.run(e);
      }
    })();
    const baselineMs = performance.now() - t1;
    raw.close();
    return { members, connections: network.connections, membersMs, networkMs, baselineMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

