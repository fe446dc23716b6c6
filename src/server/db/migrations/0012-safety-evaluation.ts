import type { Kysely } from 'kysely';

// Frozen. See 0001 for the conventions. The scheduled safety evaluation (docs/safety.md, "When the
// ladder moves"): each standing keeps what the sender was shown at its last evaluation, and one row
// remembers when the last batch ran, so the next one knows which senders have fresh signals.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('standings')
    .addColumn('idk_recipients', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('standings').addColumn('spam_upheld', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('standings').addColumn('lifts_at', 'text').execute();
  await db.schema.alterTable('standings').addColumn('evaluated_at', 'text').execute();
  await db.schema.createIndex('standings_lifts').on('standings').columns(['lifts_at']).execute();
  await db.schema
    .createTable('safety_evaluations')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('ran_at', 'text', (c) => c.notNull())
    .execute();
  // The batch looks for senders whose invitations were created, matured or aged out in a time window.
  await db.schema.createIndex('invitations_created').on('invitations').columns(['created_at', 'sender_id']).execute();
  await db.schema.createIndex('spam_reports_decided').on('spam_reports').columns(['status', 'decided_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('spam_reports_decided').execute();
  await db.schema.dropIndex('invitations_created').execute();
  await db.schema.dropTable('safety_evaluations').execute();
  await db.schema.dropIndex('standings_lifts').execute();
  for (const c of ['evaluated_at', 'lifts_at', 'spam_upheld', 'idk_recipients']) await db.schema.alterTable('standings').dropColumn(c).execute();
}
