/**
 * `settings`: the server-wide key/value table, infrastructure like `jobs`. Each user owns its keys
 * (mail/ the unsubscribe secret, auth/ the demo login's hash); none reads another's. Every key is
 * written through these functions, so no module writes a table another module declares.
 */
import type { Executor } from './database.js';

export async function getSetting(db: Executor, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Set the key, replacing any value it had. */
export async function putSetting(db: Executor, key: string, value: string, at: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value, created_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, created_at: at }))
    .execute();
}


/** Set the key only if it has no value yet (a value generated once, whichever process is first). */
export async function initSetting(db: Executor, key: string, value: string, at: string): Promise<void> {
  await db.insertInto('settings').values({ key, value, created_at: at }).onConflict((oc) => oc.column('key').doNothing()).execute();
}
