import { sql, type Kysely } from 'kysely';

// Frozen. See 0001 for the conventions. Messaging read state and in-app notifications
// (docs/messaging.md).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('last_message_id', 'text').execute();
  await sql`update conversations set last_message_id = (
      select m.id from messages m where m.conversation_id = conversations.id order by m.created_at desc, m.id desc limit 1
    )`.execute(db);

  // Each participant's side: read state, and the last message time for "my conversations" in one index range.
  await db.schema
    .createTable('conversation_members')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('other_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('last_message_at', 'text')
    .addColumn('unread_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_read_at', 'text')
    .addPrimaryKeyConstraint('conversation_members_pk', ['conversation_id', 'member_id'])
    .execute();
  await db.schema.createIndex('conversation_members_recent').on('conversation_members').columns(['member_id', 'last_message_at', 'conversation_id']).execute();
  // Existing conversations start read: there was no read state before, and a badge lighting up on
  // upgrade for old messages would be noise.
  for (const [self, other] of [
    ['member_a', 'member_b'],
    ['member_b', 'member_a'],
  ] as const) {
    await sql`insert into conversation_members (conversation_id, member_id, other_id, last_message_at, unread_count, last_read_at)
      select id, ${sql.ref(self)}, ${sql.ref(other)},
        case when last_message_id is null then null else last_message_at end, 0,
        case when last_message_id is null then null else last_message_at end
      from conversations`.execute(db);
  }

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('notifications_recent').on('notifications').columns(['member_id', 'updated_at', 'id']).execute();
  // One unread notification per subject: new messages collapse into it (an upsert on this index),
  // and a repeated event can never notify twice. Also serves the unread count.
  await db.schema
    .createIndex('notifications_one_unread')
    .on('notifications')
    .columns(['member_id', 'kind', 'subject_id'])
    .unique()
    .where(sql.ref('read_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notifications').execute();
  await db.schema.dropTable('conversation_members').execute();
  await db.schema.alterTable('conversations').dropColumn('last_message_id').execute();
}
