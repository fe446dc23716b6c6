import type { Kysely } from 'kysely';

// Frozen. See 0001 for the conventions. Account settings (docs/security.md, "Account settings"):
// - sessions say where and when they were used, for the Sessions page: the user agent and IP
//   address at sign-in, and when the session was last seen (written at most once a minute);
// - members may be deleted: a tombstone row keeps the id that other members' history points at
//   (invitations, messages, safety signals), with every personal field erased;
// - email changes wait for the link sent to the new address: one row per request, the token
//   stored only as its SHA-256 hash, single-use and expiring, like password resets.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('user_agent', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('sessions').addColumn('ip', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'text').execute();
  await db.schema.createIndex('sessions_member').on('sessions').columns(['member_id', 'created_at']).execute();
  await db.schema.alterTable('members').addColumn('deleted_at', 'text').execute();
  await db.schema
    .createTable('email_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('new_email', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('email_changes_member').on('email_changes').columns(['member_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_changes').execute();
  await db.schema.alterTable('members').dropColumn('deleted_at').execute();
  await db.schema.dropIndex('sessions_member').execute();
  for (const c of ['last_seen_at', 'ip', 'user_agent']) await db.schema.alterTable('sessions').dropColumn(c).execute();
}
