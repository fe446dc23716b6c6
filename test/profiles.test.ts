import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberSummary, Profile, ProfileUpdate } from '../src/contracts/profiles.js';
import { createTestApp, dialects, signupAndLogin, type Session, type TestApp } from './_util.js';

interface Issue {
  in: string;
  path: string;
  message: string;
}
interface ErrorJson {
  error: { code: string; message: string; details?: { issues?: Issue[] } };
}
interface Page {
  items: MemberSummary[];
  nextCursor: string | null;
}

const FULL: Required<ProfileUpdate> = {
  fullName: 'Grace Hopper',
  headline: 'Rear admiral and compiler pioneer',
  currentTitle: 'Director, Navy Programming Languages Group',
  currentCompany: 'United States Navy',
  industry: 'Computer Software',
  location: 'Arlington, Virginia',
  timeZone: 'America/New_York',
  about: 'Wrote the first compiler and made programs readable by people.',
  skills: ['COBOL', 'Compilers', 'Leadership'],
  positions: [
    { title: 'Senior Mathematician', company: 'Eckert–Mauchly Computer Corporation', startYear: 1949, endYear: 1952 },
    { title: 'Director', company: 'United States Navy', startYear: 1967, endYear: null },
  ],
  educations: [
    { school: 'Yale University', degree: 'PhD', field: 'Mathematics', startYear: 1930, endYear: 1934 },
    { school: 'Vassar College', degree: 'BA', field: 'Mathematics and Physics', startYear: 1924, endYear: 1928 },
  ],
};

async function patchProfile(app: FastifyInstance, s: Session, payload: object) {
  return app.inject({ method: 'PATCH', url: '/api/me/profile', headers: s.headers, payload });
}

function issuesOf(res: { json<T>(): T }): Issue[] {
  return res.json<ErrorJson>().error.details?.issues ?? [];
}

describe.each(dialects)('profiles [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { RATE_LIMIT_AUTH_PER_IP: '100000' });
  });
  afterAll(() => t.close());

  const get = (s: Session, url: string) => t.app.inject({ method: 'GET', url, headers: s.headers });

  it('reads my own profile, with the defaults of a new account', async () => {
    const s = await signupAndLogin(t.app, 'Ada Lovelace');
    const res = await get(s, '/api/me/profile');
    expect(res.statusCode).toBe(200);
    expect(res.json<Profile>()).toEqual({
      id: s.id,
      fullName: 'Ada Lovelace',
      headline: '',
      currentTitle: '',
      currentCompany: '',
      industry: '',
      location: '',
      timeZone: 'UTC',
      about: '',
      skills: [],
      positions: [],
      educations: [],
    });
  });

  it('updates every field, keeps the order of positions and educations, and reads them back', async () => {
    const s = await signupAndLogin(t.app, 'Before Rename');
    const res = await patchProfile(t.app, s, FULL);
    expect(res.statusCode).toBe(200);
    expect(res.json<Profile>()).toEqual({ id: s.id, ...FULL });
    const again = await get(s, '/api/me/profile');
    expect(again.json<Profile>()).toEqual({ id: s.id, ...FULL });
  });

  it("shows another member's profile, the same as its owner sees it and without their email", async () => {
    const owner = await signupAndLogin(t.app, 'Profile Owner');
    const viewer = await signupAndLogin(t.app, 'Profile Viewer');
    await patchProfile(t.app, owner, FULL);
    const res = await get(viewer, `/api/members/${owner.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json<Profile>()).toMatchObject({ id: owner.id, ...FULL });
    expect(res.body).not.toContain(owner.email);
  });

  it('keeps every field a PATCH does not mention', async () => {
    const s = await signupAndLogin(t.app, 'Partial Patch');
    await patchProfile(t.app, s, FULL);
    const headline = await patchProfile(t.app, s, { headline: 'Now retired' });
    expect(headline.json<Profile>()).toEqual({ id: s.id, ...FULL, headline: 'Now retired' });
    const skills = await patchProfile(t.app, s, { skills: ['Teaching'] });
    expect(skills.json<Profile>()).toEqual({ id: s.id, ...FULL, headline: 'Now retired', skills: ['Teaching'] });
    const nothing = await patchProfile(t.app, s, {});
    expect(nothing.statusCode).toBe(200);
    expect(nothing.json<Profile>()).toEqual(skills.json<Profile>());
  });

  it('replaces the whole list when positions or educations are sent, and clears it with []', async () => {
    const s = await signupAndLogin(t.app, 'List Replace');
    await patchProfile(t.app, s, FULL);
    const one = { title: 'Consultant', company: 'Digital Equipment Corporation', startYear: 1986, endYear: 1992 };
    const replaced = await patchProfile(t.app, s, { positions: [one] });
    expect(replaced.json<Profile>().positions).toEqual([one]);
    expect(replaced.json<Profile>().educations).toEqual(FULL.educations);
    const cleared = await patchProfile(t.app, s, { educations: [] });
    expect(cleared.json<Profile>().educations).toEqual([]);
    expect(cleared.json<Profile>().positions).toEqual([one]);
  });

  it('trims surrounding whitespace from text fields', async () => {
    const s = await signupAndLogin(t.app, 'Whitespace');
    const res = await patchProfile(t.app, s, { location: '  Lisbon, Portugal  ', skills: ['  SQL '] });
    expect(res.json<Profile>()).toMatchObject({ location: 'Lisbon, Portugal', skills: ['SQL'] });
  });

  it('accepts an end year equal to the start year, and a null end year for a current position', async () => {
    const s = await signupAndLogin(t.app, 'Same Year');
    const positions = [
      { title: 'Intern', company: 'Acme', startYear: 2020, endYear: 2020 },
      { title: 'Engineer', company: 'Acme', startYear: 2021, endYear: null },
    ];
    const res = await patchProfile(t.app, s, { positions });
    expect(res.statusCode).toBe(200);
    expect(res.json<Profile>().positions).toEqual(positions);
  });

  it('refuses a position whose end year is before its start year, pointing at positions.0.endYear', async () => {
    const s = await signupAndLogin(t.app, 'Bad Years');
    const res = await patchProfile(t.app, s, { positions: [{ title: 'Engineer', company: 'Acme', startYear: 2020, endYear: 2019 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorJson>().error.code).toBe('ValidationFailed');
    expect(issuesOf(res)).toEqual([{ in: 'body', path: 'positions.0.endYear', message: 'The end year must not be before the start year.' }]);
  });

  it('refuses an education whose end year is before its start year, pointing at its index', async () => {
    const s = await signupAndLogin(t.app, 'Bad School Years');
    const res = await patchProfile(t.app, s, {
      educations: [FULL.educations[0], { school: 'MIT', degree: 'MSc', field: 'CS', startYear: 2010, endYear: 2008 }],
    });
    expect(res.statusCode).toBe(400);
    expect(issuesOf(res)).toEqual([expect.objectContaining({ path: 'educations.1.endYear', message: 'The end year must not be before the start year.' })]);
  });

  it('refuses a year outside 1900–2100, naming the field', async () => {
    const s = await signupAndLogin(t.app, 'Old Year');
    const res = await patchProfile(t.app, s, { positions: [{ title: 'Clerk', company: 'Acme', startYear: 1899, endYear: null }] });
    expect(res.statusCode).toBe(400);
    expect(issuesOf(res).map((i) => i.path)).toEqual(['positions.0.startYear']);
  });

  it('refuses a time zone that is not an IANA name, saying what to send', async () => {
    const s = await signupAndLogin(t.app, 'Bad Zone');
    for (const timeZone of ['Mars/Olympus_Mons', 'GMT+25', '']) {
      const res = await patchProfile(t.app, s, { timeZone });
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorJson>().error.code).toBe('ValidationFailed');
      expect(issuesOf(res)).toEqual([{ in: 'body', path: 'timeZone', message: 'Use an IANA time zone such as Europe/Paris.' }]);
    }
  });

  it('refuses more than 50 skills, and accepts exactly 50', async () => {
    const s = await signupAndLogin(t.app, 'Many Skills');
    const skills = Array.from({ length: 51 }, (_, i) => `Skill ${i}`);
    const tooMany = await patchProfile(t.app, s, { skills });
    expect(tooMany.statusCode).toBe(400);
    expect(issuesOf(tooMany).map((i) => i.path)).toEqual(['skills']);
    const fifty = await patchProfile(t.app, s, { skills: skills.slice(0, 50) });
    expect(fifty.statusCode).toBe(200);
    expect(fifty.json<Profile>().skills).toHaveLength(50);
  });

  it('refuses an unknown field, naming it', async () => {
    const s = await signupAndLogin(t.app, 'Unknown Field');
    const res = await patchProfile(t.app, s, { headline: 'Fine', nickname: 'Amazing Grace' });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorJson>().error.code).toBe('ValidationFailed');
    expect(issuesOf(res).some((i) => i.message.includes('nickname'))).toBe(true);
  });

  it('changes nothing when any field of a PATCH is invalid', async () => {
    const s = await signupAndLogin(t.app, 'Atomic Patch');
    await patchProfile(t.app, s, FULL);
    const res = await patchProfile(t.app, s, { headline: 'Should not stick', positions: [], timeZone: 'Nowhere/Else' });
    expect(res.statusCode).toBe(400);
    const after = await get(s, '/api/me/profile');
    expect(after.json<Profile>()).toEqual({ id: s.id, ...FULL });
  });

  it('answers 404 MemberNotFound for a member id that does not exist', async () => {
    const s = await signupAndLogin(t.app, 'Looking Around');
    const res = await get(s, `/api/members/${randomUUID()}`);
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorJson>().error.code).toBe('MemberNotFound');
  });
});

describe.each(dialects)('member search [%s]', (dialect) => {
  let t: TestApp;
  let searcher: Session;
  /** The members named "Quillon …", in the order search must return them: name, then id. */
  let expected: Array<{ id: string; fullName: string }>;

  beforeAll(async () => {
    t = await createTestApp(dialect, { RATE_LIMIT_AUTH_PER_IP: '100000' });
    searcher = await signupAndLogin(t.app, 'Search Er');
    // Out of order on purpose, with one name twice so the id has to break the tie.
    const names = ['Quillon Moreau', 'Quillon Adams', 'quillon baker', 'Quillon Zhou', 'Quillon Cole', 'Quillon Cole', 'Quillon Ngata'];
    const created = [];
    for (const name of names) created.push({ id: (await signupAndLogin(t.app, name)).id, fullName: name });
    await signupAndLogin(t.app, 'Someone Else');
    expected = created.sort((a, b) => {
      const ka = a.fullName.toLowerCase();
      const kb = b.fullName.toLowerCase();
      return ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
  });
  afterAll(() => t.close());

  const search = (query: string) => t.app.inject({ method: 'GET', url: `/api/members?${query}`, headers: searcher.headers });

  async function walk(q: string, limit: number): Promise<Page[]> {
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const res = await search(`q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json<Page>();
      pages.push(page);
      cursor = page.nextCursor;
      expect(pages.length).toBeLessThan(50);
    } while (cursor !== null);
    return pages;
  }

  it('finds members by a case-insensitive part of their name, ordered by name', async () => {
    const res = await search('q=QUILLON&limit=100');
    expect(res.statusCode).toBe(200);
    const page = res.json<Page>();
    expect(page.items.map((m) => m.id)).toEqual(expected.map((m) => m.id));
    expect(page.items.map((m) => m.fullName)).toEqual(expected.map((m) => m.fullName));
    expect(page.nextCursor).toBeNull();
    expect(page.items[0]).toEqual({ id: expected[0]?.id, fullName: expected[0]?.fullName, headline: '', location: '', degree: 'out_of_network', mutualCount: 0 });
  });

  it('pages through all matches with limit=2: no duplicates, no gaps, in name order, and the last page says so', async () => {
    const pages = await walk('quillon', 2);
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 2, 1]);
    expect(pages.slice(0, -1).every((p) => p.nextCursor !== null)).toBe(true);
    const ids = pages.flatMap((p) => p.items.map((m) => m.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expected.map((m) => m.id));
  });

  it('ends with a null cursor when the matches fill the last page exactly', async () => {
    const pages = await walk('quillon', 7);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.items).toHaveLength(7);
    expect(pages[0]?.nextCursor).toBeNull();
  });

  it('neither repeats nor skips members when someone joins mid-walk before the cursor', async () => {
    const first = await search('q=quillon&limit=3');
    const page1 = first.json<Page>();
    // Sorts before everything already served: keyset pagination must not shift later pages.
    const newcomer = await signupAndLogin(t.app, 'Quillon Aaron');
    const rest: string[] = [];
    let cursor = page1.nextCursor;
    while (cursor) {
      const page: Page = (await search(`q=quillon&limit=3&cursor=${encodeURIComponent(cursor)}`)).json<Page>();
      rest.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
    }
    expect([...page1.items.map((m) => m.id), ...rest]).toEqual(expected.map((m) => m.id));
    expect(rest).not.toContain(newcomer.id);
  });

  it('matches % and _ in the query literally, not as wildcards', async () => {
    const percent = await signupAndLogin(t.app, 'Zed 100% Sure');
    await signupAndLogin(t.app, 'Zed 100x Sure');
    const underscore = await signupAndLogin(t.app, 'Zed Under_score');
    await signupAndLogin(t.app, 'Zed Underxscore');
    const backslash = await signupAndLogin(t.app, 'Zed Back\\slash');
    await signupAndLogin(t.app, 'Zed Backslash');
    const ids = async (q: string) => (await search(`q=${encodeURIComponent(q)}&limit=100`)).json<Page>().items.map((m) => m.id);
    expect(await ids('100%')).toEqual([percent.id]);
    expect(await ids('%')).toEqual([percent.id]);
    expect(await ids('under_score')).toEqual([underscore.id]);
    expect(await ids('_')).toEqual([underscore.id]);
    expect(await ids('back\\slash')).toEqual([backslash.id]);
    expect(await ids('\\')).toEqual([backslash.id]);
  });

  it('finds a member under a new name after a rename', async () => {
    const s = await signupAndLogin(t.app, 'Old Surname');
    await patchProfile(t.app, s, { fullName: 'Xanthe Newname' });
    const found = (await search('q=xanthe')).json<Page>();
    expect(found.items.map((m) => m.id)).toEqual([s.id]);
    expect((await search('q=old%20surname')).json<Page>().items).toEqual([]);
  });
});
