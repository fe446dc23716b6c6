import { sql, type Kysely } from 'kysely';

// Frozen. See 0001 for the conventions. The claim indexes of `jobs` become partial on the state
// they serve (B6, docs/benchmarks.md): a row is in `jobs_due` and `jobs_named_due` only while queued
// and in `jobs_lease` only while running, so a claim that marks a job done only deletes entries,
// and the done rows, nearly all of the table, are in no claim index at all. The queue's queries
// repeat each predicate literally (`"state" = 'queued'`): SQLite uses a partial index only for a
// query whose WHERE states the predicate itself, not a bound parameter.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_due').execute();
  await db.schema.dropIndex('jobs_named_due').execute();
  await db.schema.dropIndex('jobs_lease').execute();
  await sql`create index jobs_due on jobs (run_at, id) where "state" = 'queued'`.execute(db);
  await sql`create index jobs_named_due on jobs (name, run_at, id) where "state" = 'queued'`.execute(db);
  await sql`create index jobs_lease on jobs (locked_until) where "state" = 'running'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_due').execute();
  await db.schema.dropIndex('jobs_named_due').execute();
  await db.schema.dropIndex('jobs_lease').execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['state', 'run_at', 'id']).execute();
  await db.schema.createIndex('jobs_named_due').on('jobs').columns(['state', 'name', 'run_at', 'id']).execute();
  await db.schema.createIndex('jobs_lease').on('jobs').columns(['state', 'locked_until']).execute();
}
