import type { Kysely } from 'kysely';

// Frozen. See 0001 for the conventions. Email: send-time decisions, preferences, suppressions,
// reminders and message digests (docs/email.md).
export async function up(db: Kysely<any>): Promise<void> {
  // SQLite adds one column per ALTER TABLE.
  for (const column of ['member_id', 'kind', 'context', 'skipped_reason', 'skipped_at']) {
    await db.schema.alterTable('emails').addColumn(column, 'text').execute();
  }
  await db.schema.createIndex('emails_to_address').on('emails').columns(['to_address', 'created_at']).execute();

  // Server-wide values generated on first boot (the email token secret when EMAIL_TOKEN_SECRET is unset).
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('email_preferences')
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('email_preferences_pk', ['member_id', 'category'])
    .execute();

  await db.schema
    .createTable('email_suppressions')
    .addColumn('address', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('invitation_reminders')
    .addColumn('invitation_id', 'text', (c) => c.notNull().references('invitations.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('recipient_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('email_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('invitation_reminders_pk', ['invitation_id', 'number'])
    .execute();
  // The reminder scan reads pending invitations by age.
  await db.schema.createIndex('invitations_status_created').on('invitations').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('invitation_reminders_recipient_day').on('invitation_reminders').columns(['recipient_id', 'day']).execute();

  await db.schema
    .createTable('message_digests')
    .addColumn('member_id', 'text', (c) => c.primaryKey().references('members.id').onDelete('cascade'))
    .addColumn('last_message_at', 'text', (c) => c.notNull())
    .addColumn('last_message_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['message_digests', 'invitation_reminders', 'email_suppressions', 'email_preferences', 'settings']) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.dropIndex('invitations_status_created').execute();
  await db.schema.dropIndex('emails_to_address').execute();
  for (const column of ['skipped_at', 'skipped_reason', 'context', 'kind', 'member_id']) {
    await db.schema.alterTable('emails').dropColumn(column).execute();
  }
}
