/**
 * Generated members for demos and load: realistic, varied profiles from a fixed PRNG, so a seed
 * always builds the same network. Every generated member logs in with DEMO_LOGIN.password.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { AppContext } from '../server/context.js';
import { newId } from '../server/ids.js';
import type { EducationTable, MemberTable, PositionTable } from '../server/modules/members/member.table.js';
import { DEGREES, FIRST_NAMES, INDUSTRIES, LAST_NAMES, LOCATIONS, SCHOOLS } from './seed-data.js';
import { prng, type Random } from './prng.js';
import { seedNetwork, type SeededMember } from './seed-network.js';

export const DEMO_LOGIN = { email: 'demo@rapport.test', password: 'rapport-demo-2026' };
const CHUNK = 400;
const NOW_YEAR = 2026;

const pick = <T>(rnd: Random, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const between = (rnd: Random, lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

function sample<T>(rnd: Random, xs: readonly T[], n: number): T[] {
  const copy = [...xs];
  const out: T[] = [];
  while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(rnd() * copy.length), 1)[0] as T);
  return out;
}

export interface GeneratedMember {
  member: MemberTable;
  positions: PositionTable[];
  educations: EducationTable[];
}

export function generateMember(rnd: Random, index: number, passwordHash: string, now: string, email?: string): GeneratedMember {
  const first = pick(rnd, FIRST_NAMES);
  const last = pick(rnd, LAST_NAMES);
  const fullName = `${first} ${last}`;
  const industry = pick(rnd, INDUSTRIES);
  const place = pick(rnd, LOCATIONS);
  const id = newId();
  const careerStart = between(rnd, 1995, 2022);
  const jobs = between(rnd, 1, 4);
  const positions: PositionTable[] = [];
  let start = careerStart;
  for (let j = 0; j < jobs; j++) {
    const last = j === jobs - 1;
    const end = last ? null : Math.min(NOW_YEAR, start + between(rnd, 1, 5));
    // Mostly one industry, sometimes a switch: employers shared across industries make real structure.
    const from = rnd() < 0.8 ? industry : pick(rnd, INDUSTRIES);
    positions.push({ id: newId(), member_id: id, ordinal: j, title: pick(rnd, from.titles), company: pick(rnd, from.companies), start_year: start, end_year: end });
    if (end !== null) start = end;
  }
  positions.reverse().forEach((p, i) => (p.ordinal = i)); // newest first
  const current = positions[0] as PositionTable;
  const degree = pick(rnd, DEGREES);
  const gradYear = careerStart - between(rnd, 0, 1);
  const educations: EducationTable[] = [
    { id: newId(), member_id: id, ordinal: 0, school: pick(rnd, SCHOOLS), degree: degree.degree, field: pick(rnd, degree.fields), start_year: gradYear - between(rnd, 2, 4), end_year: gradYear },
  ];
  const skills = sample(rnd, industry.skills, between(rnd, 3, 7));
  const years = NOW_YEAR - careerStart;
  return {
    member: {
      id,
      email: email ?? `${first}.${last}.${index}@example.com`.toLowerCase().replace(/[^a-z0-9.@-]/g, ''),
      password_hash: passwordHash,
      role: 'member',
      full_name: fullName,
      search_name: fullName.toLowerCase(),
      headline: `${current.title} at ${current.company} · ${skills.slice(0, 2).join(' · ')}`,
      current_title: current.title,
      current_company: current.company,
      industry: industry.name,
      location: place.name,
      time_zone: place.timeZone,
      about: `${years > 1 ? `${years} years` : 'Early career'} in ${industry.name.toLowerCase()}. I work on ${skills.slice(0, 3).join(', ').toLowerCase()} and like meeting people who care about doing it well.`,
      skills: JSON.stringify(skills),
      created_at: now,
      updated_at: now,
    },
    positions,
    educations,
  };
}

export async function seedMembers(
  ctx: AppContext,
  opts: { members: number; seed: number; progress?: boolean; demoAccount?: boolean },
): Promise<SeededMember[]> {
  const rnd = prng(opts.seed);
  const passwordHash = await ctx.passwords.hash(DEMO_LOGIN.password);
  const now = ctx.clock.now().toISOString();
  const bar = opts.progress ? new SingleBar({ format: 'seeding members [{bar}] {value}/{total} {eta_formatted}' }, Presets.shades_classic) : undefined;
  bar?.start(opts.members, 0);
  const seeded: SeededMember[] = [];
  const tag = `${opts.seed}-${Date.now().toString(36)}`;
  for (let offset = 0; offset < opts.members; offset += CHUNK) {
    const batch: GeneratedMember[] = [];
    for (let i = offset; i < Math.min(opts.members, offset + CHUNK); i++) {
      const email = opts.demoAccount && i === 0 ? DEMO_LOGIN.email : undefined;
      const g = generateMember(rnd, i, passwordHash, now, email);
      if (!email) g.member.email = g.member.email.replace('@', `.${tag}@`);
      batch.push(g);
      seeded.push({
        id: g.member.id,
        company: g.member.current_company,
        school: g.educations[0]?.school ?? '',
        location: g.member.location,
        pastCompanies: g.positions.slice(1).map((p) => p.company),
      });
    }
    await ctx.database.transaction(async (tx) => {
      await tx.db.insertInto('members').values(batch.map((g) => g.member)).execute();
      for (const rows of chunks(batch.flatMap((g) => g.positions), CHUNK)) await tx.db.insertInto('positions').values(rows).execute();
      for (const rows of chunks(batch.flatMap((g) => g.educations), CHUNK)) await tx.db.insertInto('educations').values(rows).execute();
    });
    bar?.update(Math.min(opts.members, offset + CHUNK));
  }
  bar?.stop();
  return seeded;
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** On an empty database, build the demo network; returns whether it did. */
export async function seedDemo(ctx: AppContext, members: number): Promise<boolean> {
  const any = await ctx.database.db.selectFrom('members').select('id').limit(1).executeTakeFirst();
  if (any) return false;
  const seeded = await seedMembers(ctx, { members: Math.max(members, 1), seed: 42, demoAccount: true });
  await seedNetwork(ctx, seeded, { seed: 42, avgDegree: 12, demo: true });
  return true;
}
