/**
 * The demo login: the account a demo seed creates (`rapport serve` with SEED_DEMO on an empty
 * database, or `rapport seed`), whose password is published. The seed records the password hash it
 * gave the account in `settings`; the login counts as available only while that account still has
 * that hash. So the banner and the login page never offer a login that does not work: not before a
 * seed, not on a database whose demo account was never seeded (whoever signs up with the address),
 * and not after the demo member changed the password.
 */
import type { Executor } from '../../db/database.js';
import { getSetting, putSetting } from '../../db/settings.js';
import * as members from '../members/index.js';

export const DEMO_LOGIN = { email: 'demo@rapport.test', password: 'rapport-demo-2026' } as const;
const KEY = 'demo_login_hash';

/** Called by the seed in the transaction that writes the demo account. */
export async function recordDemoLogin(db: Executor, passwordHash: string, at: string): Promise<void> {
  await putSetting(db, KEY, passwordHash, at);
}

/** The demo login, when the seeded demo account exists with the seeded password; else null. */
export async function availableDemoLogin(db: Executor): Promise<typeof DEMO_LOGIN | null> {
  const seeded = await getSetting(db, KEY);
  if (seeded === undefined) return null;
  const member = await members.findByEmail(db, DEMO_LOGIN.email);
  return member?.password_hash === seeded ? DEMO_LOGIN : null;
}
