import type { Kysely } from 'kysely';

// Frozen. See 0001 for the conventions. The send-time safety signal (docs/safety.md): whether the
// recipient was beyond the sender's network when the invitation was sent.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('invitations').addColumn('beyond_network', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('invitations_sender_beyond').on('invitations').columns(['sender_id', 'beyond_network', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('invitations_sender_beyond').execute();
  await db.schema.alterTable('invitations').dropColumn('beyond_network').execute();
}
