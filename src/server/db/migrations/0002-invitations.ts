import { sql, type Kysely } from 'kysely';

// Frozen. See 0001 for the conventions.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sender_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('recipient_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('pair_key', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('idk', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('spam', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ignored_at', 'text')
    .addColumn('closed_at', 'text')
    .execute();
  // The rule "one open invitation per pair" lives here, not only in code.
  await db.schema
    .createIndex('invitations_one_open_per_pair')
    .on('invitations')
    .column('pair_key')
    .unique()
    .where(sql.ref('status'), 'in', ['pending', 'ignored'])
    .execute();
  await db.schema.createIndex('invitations_received').on('invitations').columns(['recipient_id', 'status', 'created_at', 'id']).execute();
  await db.schema.createIndex('invitations_sent').on('invitations').columns(['sender_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('invitations_pair').on('invitations').columns(['pair_key', 'created_at']).execute();
  await db.schema.createIndex('invitations_expiry').on('invitations').columns(['status', 'expires_at']).execute();

  await db.schema
    .createTable('invitation_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invitation_id', 'text', (c) => c.notNull().references('invitations.id').onDelete('cascade'))
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invitation_events_invitation').on('invitation_events').columns(['invitation_id', 'id']).execute();

  await db.schema
    .createTable('connections')
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('other_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('invitation_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('connections_pk', ['member_id', 'other_id'])
    .execute();
  await db.schema.createIndex('connections_recent').on('connections').columns(['member_id', 'created_at']).execute();

  await db.schema
    .createTable('pair_bars')
    .addColumn('recipient_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('sender_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('invitation_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pair_bars_pk', ['recipient_id', 'sender_id'])
    .execute();
  await db.schema.createIndex('pair_bars_sender').on('pair_bars').columns(['sender_id', 'created_at']).execute();

  await db.schema
    .createTable('spam_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invitation_id', 'text', (c) => c.notNull().unique())
    .addColumn('reporter_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('sender_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('spam_reports_queue').on('spam_reports').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('blocks')
    .addColumn('blocker_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('blocked_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('blocks_pk', ['blocker_id', 'blocked_id'])
    .execute();
  await db.schema.createIndex('blocks_blocked').on('blocks').columns(['blocked_id', 'blocker_id']).execute();

  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pair_key', 'text', (c) => c.notNull().unique())
    .addColumn('member_a', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('member_b', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('invitation_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_message_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('sender_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_conversation').on('messages').columns(['conversation_id', 'created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['messages', 'conversations', 'blocks', 'spam_reports', 'pair_bars', 'connections', 'invitation_events', 'invitations']) {
    await db.schema.dropTable(t).execute();
  }
}
