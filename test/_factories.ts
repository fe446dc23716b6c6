/**
 * Fast members for tests that are not about accounts: inserted directly and authenticated with a
 * personal API token, skipping the Argon2 work of signup and login (tested in auth.test.ts).
 */
import type { AppContext } from '../src/server/context.js';
import * as members from '../src/server/modules/members/index.js';
import type { MemberRow } from '../src/server/modules/members/index.js';
import type { Session } from './_util.js';

let n = 0;

/** A member row with empty profile fields and no usable password. */
export function memberRow(ctx: AppContext, fullName: string, email: string): MemberRow {
  return members.newMemberRow({ email, passwordHash: 'not-a-login-account', fullName, now: ctx.clock.now().toISOString() });
}

export async function makeMember(ctx: AppContext, fullName = 'Test Member'): Promise<Session> {
  const row = memberRow(ctx, fullName, `quick.${process.pid}.${++n}@example.com`);
  await members.insertMember(ctx.database.db, row);
  const { secret } = await ctx.auth.createToken(row.id, 'tests');
  return { id: row.id, email: row.email, headers: { authorization: `Bearer ${secret}` } };
}
