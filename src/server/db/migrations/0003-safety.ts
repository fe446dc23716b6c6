import type { Kysely } from 'kysely';

// Frozen. See 0001 for the conventions.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('spam_reports').addColumn('decided_at', 'text').execute();
  await db.schema.alterTable('spam_reports').addColumn('decided_by', 'text').execute();

  await db.schema
    .createTable('standings')
    .addColumn('member_id', 'text', (c) => c.primaryKey().references('members.id').onDelete('cascade'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('since', 'text', (c) => c.notNull())
    .addColumn('suspended_until', 'text')
    .addColumn('suspensions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('acknowledged_at', 'text')
    .addColumn('signals_reset_at', 'text')
    .addColumn('signal_mark', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('enforcements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('from_level', 'text', (c) => c.notNull())
    .addColumn('to_level', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('enforcements_member').on('enforcements').columns(['member_id', 'created_at']).execute();
  await db.schema.createIndex('enforcements_recent').on('enforcements').columns(['source', 'created_at']).execute();

  await db.schema
    .createTable('appeals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enforcement_id', 'text', (c) => c.notNull().unique().references('enforcements.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema.createIndex('appeals_queue').on('appeals').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();

  await db.schema.createIndex('invitation_events_action').on('invitation_events').columns(['action', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['audit_log', 'appeals', 'enforcements', 'standings']) await db.schema.dropTable(t).execute();
  await db.schema.dropIndex('invitation_events_action').execute();
  await db.schema.alterTable('spam_reports').dropColumn('decided_by').execute();
  await db.schema.alterTable('spam_reports').dropColumn('decided_at').execute();
}
