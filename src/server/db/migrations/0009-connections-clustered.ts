import { SqliteAdapter, sql, type Kysely } from 'kysely';

// Frozen. See 0001 for the conventions. SQLite only: `connections` becomes a WITHOUT ROWID table,
// stored in its primary key (member, other). As a rowid table every row was written twice, to the
// table and to the key's own index; the rows are the largest table of the database (two per
// connection), so the bulk seed, the graph load and the pair lookups read and write one B-tree
// instead of two (docs/storage.md, "The connections table"). PostgreSQL has no rowid: nothing to do.
// The copy runs in one transaction: a crash leaves the old table, and the migration runs again.
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await rebuild(db, true);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await rebuild(db, false);
}

async function rebuild(db: Kysely<any>, withoutRowid: boolean): Promise<void> {
  await sql`begin immediate`.execute(db);
  try {
    await db.schema
      .createTable('connections_rebuilt')
      .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
      .addColumn('other_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
      .addColumn('invitation_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('connections_pk', ['member_id', 'other_id'])
      .$call((t) => (withoutRowid ? t.modifyEnd(sql`without rowid`) : t))
      .execute();
    await sql`insert into connections_rebuilt (member_id, other_id, invitation_id, created_at)
      select member_id, other_id, invitation_id, created_at from connections order by member_id, other_id`.execute(db);
    await db.schema.dropTable('connections').execute();
    await db.schema.alterTable('connections_rebuilt').renameTo('connections').execute();
    await db.schema.createIndex('connections_recent').on('connections').columns(['member_id', 'created_at']).execute();
    await sql`commit`.execute(db);
  } catch (err) {
    await sql`rollback`.execute(db);
    throw err;
  }
}
