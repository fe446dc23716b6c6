/**
 * Generated members for demos and load: realistic, varied profiles (positions and education with
 * their years) from a fixed PRNG, so a seed always builds the same network, and the circles each
 * profile puts its member in. Every generated member logs in with DEMO_LOGIN.password; with
 * `demoAccount`, the first one is the demo account (DEMO_LOGIN.email), recorded as such so the
 * server offers its login. Seeds of LARGE members and more write through `BulkLoad`, smaller ones
 * through Kysely. docs/seed.md.
 */
import type { AppContext } from '../server/context.js';
import type { EducationTable, MemberTable, PositionTable } from '../server/modules/members/index.js';
import { newId } from '../server/ids.js';
import { DEMO_LOGIN, recordDemoLogin } from '../server/modules/auth/index.js';
import { DEGREES, FIRST_NAMES, INDUSTRIES, LAST_NAMES, LOCATIONS, SCHOOLS, type SeededMember } from './seed-data.js';
import { between, pick, prng, sample, type Random } from './prng.js';
import { BulkLoad } from './seed-bulk.js';
import { seedDemoLife, type TimeMachine } from './seed-life.js';
import { LARGE, seedNetwork, Stage } from './seed-network.js';

export { DEMO_LOGIN } from '../server/modules/auth/index.js';
const CHUNK = 400;
const NOW_YEAR = 2026;

const MEMBER_COLUMNS: ReadonlyArray<keyof MemberTable> = [
  'id', 'email', 'password_hash', 'role', 'full_name', 'search_name', 'headline', 'current_title', 'current_company', 'industry', 'location', 'time_zone', 'about', 'skills', 'created_at', 'updated_at',
];
const POSITION_COLUMNS: ReadonlyArray<keyof PositionTable> = ['id', 'member_id', 'ordinal', 'title', 'company', 'start_year', 'end_year'];
const EDUCATION_COLUMNS: ReadonlyArray<keyof EducationTable> = ['id', 'member_id', 'ordinal', 'school', 'degree', 'field', 'start_year', 'end_year'];

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
      deleted_at: null,
    },
    positions,
    educations,
  };
}

/**
 * The circles a member moved in, as (fine, coarse) key pairs whose first letter is the kind: `w`ork
 * (the same office in the same 5-year era, else the employer), `s`chool (the same class year, else
 * the school), `l`ocal (the same industry in the same city, else the city). Current job first.
 * Fine circles make tight clusters at any size; coarse ones keep a small network connected.
 */
export function circlesOf(g: GeneratedMember): string[] {
  const { member, positions, educations } = g;
  const out: string[] = [];
  for (const p of positions) out.push(`w${p.company}|${member.location}|${Math.floor(p.start_year / 5)}`, `w${p.company}`);
  for (const e of educations) out.push(`s${e.school}|${e.end_year ?? ''}`, `s${e.school}`);
  out.push(`l${member.industry}|${member.location}`, `l${member.location}`);
  return out;
}

export async function seedMembers(
  ctx: AppContext,
  opts: { members: number; seed: number; progress?: boolean; demoAccount?: boolean },
): Promise<SeededMember[]> {
  const rnd = prng(opts.seed);
  const passwordHash = await ctx.passwords.hash(DEMO_LOGIN.password);
  const now = ctx.clock.now().toISOString();
  const stage = opts.progress ? new Stage('members', opts.members) : undefined;
  const tag = `${opts.seed}-${Date.now().toString(36)}`;
  // Circle keys repeat across members: keep one string of each.
  const keys = new Map<string, string>();
  const intern = (key: string) => keys.get(key) ?? (keys.set(key, key), key);
  const seeded: SeededMember[] = [];
  const generate = function* (): Generator<GeneratedMember[]> {
    for (let offset = 0; offset < opts.members; offset += CHUNK) {
      const batch: GeneratedMember[] = [];
      for (let i = offset; i < Math.min(opts.members, offset + CHUNK); i++) {
        const email = opts.demoAccount && i === 0 ? DEMO_LOGIN.email : undefined;
        const g = generateMember(rnd, i, passwordHash, now, email);
        if (!email) g.member.email = g.member.email.replace('@', `.${tag}@`);
        batch.push(g);
        seeded.push({ id: g.member.id, circles: circlesOf(g).map(intern) });
      }
      yield batch;
    }
  };
  if (opts.members >= LARGE) await writeBulk(ctx, generate(), stage);
  else await writeChunks(ctx, generate(), stage);
  if (opts.demoAccount && seeded.length > 0) await recordDemoLogin(ctx.database.db, passwordHash, now);
  return seeded;
}

async function writeChunks(ctx: AppContext, batches: Iterable<GeneratedMember[]>, stage: Stage | undefined) {
  for (const batch of batches) {
    await ctx.database.transaction(async (tx) => {
      await tx.db.insertInto('members').values(batch.map((g) => g.member)).execute();
      for (const rows of chunks(batch.flatMap((g) => g.positions), CHUNK)) await tx.db.insertInto('positions').values(rows).execute();
      for (const rows of chunks(batch.flatMap((g) => g.educations), CHUNK)) await tx.db.insertInto('educations').values(rows).execute();
    });
    stage?.advance(batch.length);
  }
  stage?.done('members written');
}

/** Members in id order (ids are time-ordered); the indexes that would take random inserts are rebuilt after. */
async function writeBulk(ctx: AppContext, batches: Iterable<GeneratedMember[]>, stage: Stage | undefined) {
  await BulkLoad.run(ctx, ['members_search_name', 'positions_company', 'educations_school'], async (load) => {
    const members = await load.table<MemberTable>('members', MEMBER_COLUMNS);
    const positions = await load.table<PositionTable>('positions', POSITION_COLUMNS);
    const educations = await load.table<EducationTable>('educations', EDUCATION_COLUMNS);
    for (const batch of batches) {
      for (const g of batch) {
        members.add(g.member);
        g.positions.forEach((p) => positions.add(p));
        g.educations.forEach((e) => educations.add(e));
      }
      await load.drain(true);
      stage?.advance(batch.length);
    }
    stage?.done('members written');
  });
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** On an empty database, build the demo network and the demo account's recent life; returns whether it did. */
export async function seedDemo(ctx: AppContext, members: number, clock?: TimeMachine): Promise<boolean> {
  const any = await ctx.database.db.selectFrom('members').select('id').limit(1).executeTakeFirst();
  if (any) return false;
  const seeded = await seedMembers(ctx, { members: Math.max(members, 1), seed: 42, demoAccount: true });
  await seedNetwork(ctx, seeded, { seed: 42, avgDegree: 12, demo: true });
  // The network was written past the change feed; the services below ask the graph.
  await ctx.graph.load();
  const demo = seeded[0];
  if (demo && seeded.length > 30) await seedDemoLife(ctx, demo.id, { seed: 42, clock });
  return true;
}

/** Whether an account already uses the demo address (then `rapport seed` leaves it alone). */
export async function demoAccountExists(ctx: AppContext): Promise<boolean> {
  return Boolean(await ctx.database.db.selectFrom('members').select('id').where('email', '=', DEMO_LOGIN.email).executeTakeFirst());
}
