/** What the reminder steps and the day's digest job share. */
import { z } from 'zod';
import type { Executor } from '../../db/database.js';

export const digestJobName = 'reminders.digest';
export const DigestPayload = z.object({ recipientId: z.string(), day: z.string() });

/**
 * A reminder step and the digest of the same recipient take turns (PostgreSQL; SQLite runs one
 * transaction at a time): a step then sees whether today's email was written, and a digest sees
 * every reminder recorded before it.
 */
export async function lockRecipient(db: Executor, dialect: 'sqlite' | 'postgres', recipientId: string): Promise<void> {
  if (dialect === 'postgres') await db.selectFrom('members').select('id').where('id', '=', recipientId).forNoKeyUpdate().execute();
}
