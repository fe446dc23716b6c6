import type { Kysely } from 'kysely';

// Frozen. See 0001 for the conventions. Indexes for the per-member and per-pair questions every send
// and every inbox asks (docs/storage.md, "Query plans"). Without them SQLite, which keeps no
// statistics, answered through indexes that span the whole network: every open invitation, every
// IDK of the last 90 days, every upheld report. `invitation_events_action` served only those IDK
// counts: dropped, so the planner goes from the sender's invitations to their events.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('invitations_sender_open').on('invitations').columns(['sender_id', 'status', 'expires_at']).execute();
  await db.schema.createIndex('invitations_recipient_open').on('invitations').columns(['recipient_id', 'status', 'expires_at']).execute();
  await db.schema.createIndex('invitations_pair_open').on('invitations').columns(['pair_key', 'status', 'expires_at']).execute();
  await db.schema.createIndex('invitation_events_invitation_action').on('invitation_events').columns(['invitation_id', 'action', 'at']).execute();
  await db.schema.createIndex('spam_reports_sender').on('spam_reports').columns(['sender_id', 'status', 'decided_at']).execute();
  await db.schema.dropIndex('invitation_events_action').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('invitation_events_action').on('invitation_events').columns(['action', 'at']).execute();
  for (const name of ['spam_reports_sender', 'invitation_events_invitation_action', 'invitations_pair_open', 'invitations_recipient_open', 'invitations_sender_open']) await db.schema.dropIndex(name).execute();
}
