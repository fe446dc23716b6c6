import { SqliteAdapter, sql, type Kysely } from 'kysely';

// Frozen. See 0001 for the conventions (docs/email.md).
// - `emails.send_attempts` / `last_attempt_at`: the `mail.send` job records each SMTP attempt in its
//   own commit before it talks to the SMTP server, so a resend is always a recorded second attempt.
// - `message_digest_queue` replaces the per-member cursor `message_digests`: a message is queued
//   for its recipient's digest in the transaction that stores it, and the digest takes (deletes)
//   what it covers. A cursor on `messages.created_at` skipped a message whose transaction began
//   before, and committed after, a digest that had moved past it (issue 15, defect 9).
//   The queue starts with what the cursors had not covered yet: unread messages newer than the
//   member's cursor (without a cursor, from the last day, as the first digest looked back).
// Kysely runs a PostgreSQL migration in one transaction; on SQLite it does not, so this one opens
// its own: a crash leaves the old schema, and the migration runs again.
export async function up(db: Kysely<any>): Promise<void> {
  await atomically(db, () => migrateUp(db));
}

export async function down(db: Kysely<any>): Promise<void> {
  await atomically(db, () => migrateDown(db));
}

async function atomically(db: Kysely<any>, fn: () => Promise<void>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return fn();
  await sql`begin immediate`.execute(db);
  try {
    await fn();
    await sql`commit`.execute(db);
  } catch (err) {
    await sql`rollback`.execute(db);
    throw err;
  }
}

async function migrateUp(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('emails').addColumn('send_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('emails').addColumn('last_attempt_at', 'text').execute();

  await db.schema
    .createTable('message_digest_queue')
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_digest_queue_pk', ['member_id', 'message_id'])
    .execute();
  const dayAgo = new Date(Date.now() - 86_400_000).toISOString();
  await sql`insert into message_digest_queue (member_id, message_id, created_at)
    select cm.member_id, m.id, m.created_at
    from messages m
    join conversation_members cm on cm.conversation_id = m.conversation_id and cm.member_id <> m.sender_id
    left join message_digests d on d.member_id = cm.member_id
    where (cm.last_read_at is null or m.created_at > cm.last_read_at)
      and ((d.member_id is null and m.created_at > ${dayAgo})
        or m.created_at > d.last_message_at
        or (m.created_at = d.last_message_at and m.id > d.last_message_id))`.execute(db);
  await db.schema.dropTable('message_digests').execute();
}

async function migrateDown(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('message_digests')
    .addColumn('member_id', 'text', (c) => c.primaryKey().references('members.id').onDelete('cascade'))
    .addColumn('last_message_at', 'text', (c) => c.notNull())
    .addColumn('last_message_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.dropTable('message_digest_queue').execute();
  await db.schema.alterTable('emails').dropColumn('last_attempt_at').execute();
  await db.schema.alterTable('emails').dropColumn('send_attempts').execute();
}
