import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001-foundation.js';
import * as m0002 from './migrations/0002-invitations.js';
import * as m0003 from './migrations/0003-safety.js';
import * as m0004 from './migrations/0004-jobs.js';
import * as m0005 from './migrations/0005-email.js';
import * as m0006 from './migrations/0006-messaging.js';
import * as m0007 from './migrations/0007-beyond-network.js';
import * as m0008 from './migrations/0008-member-indexes.js';
import * as m0009 from './migrations/0009-connections-clustered.js';
import * as m0010 from './migrations/0010-account-settings.js';
import * as m0011 from './migrations/0011-mail-attempts-digest-queue.js';
import * as m0012 from './migrations/0012-safety-evaluation.js';
import * as m0013 from './migrations/0013-sequences.js';
import * as m0014 from './migrations/0014-jobs-partial-indexes.js';
import type { Database } from './database.js';

/** Migrations are listed here in order; their names are permanent. */
const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-invitations': m0002,
  '0003-safety': m0003,
  '0004-jobs': m0004,
  '0005-email': m0005,
  '0006-messaging': m0006,
  '0007-beyond-network': m0007,
  '0008-member-indexes': m0008,
  '0009-connections-clustered': m0009,
  '0010-account-settings': m0010,
  '0011-mail-attempts-digest-queue': m0011,
  '0012-safety-evaluation': m0012,
  '0013-sequences': m0013,
  '0014-jobs-partial-indexes': m0014,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Migrate to the newest migration. */
export function migrateToLatest(database: Database): Promise<string[]> {
  return migrateTo(database, Object.keys(migrations).at(-1) as string);
}

/** Migrate up or down to `name` (tests step through one migration with it). Returns what ran. */
export async function migrateTo(database: Database, name: string): Promise<string[]> {
  const migrator = new Migrator({ db: database.db, provider });
  const { error, results } = await migrator.migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
