import { sql, type Kysely } from 'kysely';

// Frozen. See 0001 for the conventions. The durable sequence runner (docs/jobs.md, "Sequences"):
// enrolments, at most one active per (sequence, subject). The invitation reminders move onto it,
// so every invitation pending now is enrolled here, with its step job queued now: the step itself
// waits until its reminder is due (the thresholds are configuration, which a migration cannot read).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sequence_enrolments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sequence', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('next_run_at', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .addColumn('last_step_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The runner's ON CONFLICT repeats this predicate literally (SQLite compares the text).
  await sql`create unique index sequence_enrolments_one_active on sequence_enrolments (sequence, subject_id) where "state" in ('running', 'paused')`.execute(db);

  // The worker claims sequence steps in batches by name: this keeps that claim an index walk.
  await db.schema.createIndex('jobs_named_due').on('jobs').columns(['state', 'name', 'run_at', 'id']).execute();

  const now = new Date().toISOString();
  // Reminder n+1 is step n; an invitation already given reminder 2 has nothing left.
  const given = sql`(select max(r.number) from invitation_reminders r where r.invitation_id = i.id)`;
  await sql`
    insert into sequence_enrolments (id, sequence, subject_id, state, step, next_run_at, time_zone, context, reason, enrolled_at, last_step_at, created_at, updated_at)
    select 'm0013-' || i.id, 'invitation-reminders', i.id, 'running', coalesce(${given}, 0), ${now}, 'UTC', '{}', null, i.created_at, null, ${now}, ${now}
    from invitations i
    where i.status = 'pending' and i.expires_at > ${now} and coalesce(${given}, 0) < 2`.execute(db);
  await sql`
    insert into jobs (id, name, payload, key, state, run_at, attempts, max_attempts, locked_by, locked_until, last_error, created_at, updated_at)
    select 'm0013-' || e.id, 'sequence.step', '{"enrolmentId":"' || e.id || '","step":' || cast(e.step as text) || '}',
      'sequence:' || e.id || ':' || cast(e.step as text), 'queued', ${now}, 0, 10, null, null, null, ${now}, ${now}
    from sequence_enrolments e`.execute(db);
  // The hourly scan is gone; its queued run would fail for want of a handler.
  await db.deleteFrom('jobs').where('name', '=', 'reminders.scan').where('state', '=', 'queued').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('jobs').where('name', '=', 'sequence.step').execute();
  await db.schema.dropTable('sequence_enrolments').execute();
  await db.schema.dropIndex('jobs_named_due').execute();
}
