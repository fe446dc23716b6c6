/**
 * Fast members for tests that are not about accounts: inserted directly and authenticated with a
 * personal API token, skipping the Argon2 work of signup and login (tested in auth.test.ts).
 */
import { newId } from '../src/server/ids.js';
import type { AppContext } from '../src/server/context.js';
import * as members from '../src/server/modules/members/member.repository.js';
import type { Session } from './_util.js';

let n = 0;

export async function makeMember(ctx: AppContext, fullName = 'Test Member'): Promise<Session> {
  const id = newId();
  const email = `quick.${process.pid}.${++n}@example.com`;
  const now = ctx.clock.now().toISOString();
  await members.insert(ctx.database.db, {
    id,
    email,
    password_hash: 'not-a-login-account',
    role: 'member',
    full_name: fullName,
    search_name: fullName.toLowerCase(),
    headline: '',
    current_title: '',
    current_company: '',
    industry: '',
    location: '',
    time_zone: 'UTC',
    about: '',
    skills: '[]',
    created_at: now,
    updated_at: now,
  });
  const { secret } = await ctx.auth.createToken(id, 'tests');
  return { id, email, headers: { authorization: `Bearer ${secret}` } };
}
