/** The keyset `paginate()` every list uses: pages cover the list once, in order, ties broken by id. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paginate, type Page } from '../src/server/db/pagination.js';
import { dialects, createTestApp, type TestApp } from './_util.js';
import { memberRow } from './_factories.js';

type Row = { id: string; search_name: string };

describe.each(dialects)('paginate [%s]', (dialect) => {
  let t: TestApp;
  const names = ['b', 'a', 'c', 'b', 'a', 'b', 'd'];
  beforeAll(async () => {
    t = await createTestApp(dialect);
    await t.ctx.database.db
      .insertInto('members')
      .values(names.map((name, i) => memberRow(t.ctx, `p${name}`, `page${i}@example.com`)))
      .execute();
  });
  afterAll(() => t.close());

  const query = () => t.ctx.database.db.selectFrom('members').select(['id', 'search_name']).where('email', 'like', 'page%');

  async function all(order: 'asc' | 'desc', key: string | null, limit: number): Promise<Row[]> {
    const seen: Row[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page: Page<Row> = await paginate(query(), { key, id: 'id', order, limit, cursor, keyOf: (r) => ({ key: key === null ? '' : r.search_name, id: r.id }) });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items);
      if (page.nextCursor === null) return seen;
      cursor = page.nextCursor;
    }
  }

  it('serves every row exactly once in (key, id) order, both ways, whatever the page size', async () => {
    const rows = await query().execute();
    const byKey = [...rows].sort((x, y) => (x.search_name === y.search_name ? (x.id < y.id ? -1 : 1) : x.search_name < y.search_name ? -1 : 1));
    const byId = [...rows].sort((x, y) => (x.id < y.id ? -1 : 1));
    for (const limit of [1, 2, 3, 7, 50]) {
      expect(await all('asc', 'search_name', limit)).toEqual(byKey);
      expect(await all('desc', 'search_name', limit)).toEqual([...byKey].reverse());
      expect(await all('asc', null, limit)).toEqual(byId);
      expect(await all('desc', null, limit)).toEqual([...byId].reverse());
    }
  });

  it('gives no next cursor when the last page is exactly full', async () => {
    const page = await paginate(query(), { key: null, id: 'id', order: 'asc', limit: names.length, cursor: undefined, keyOf: (r) => ({ key: '', id: r.id }) });
    expect(page.items).toHaveLength(names.length);
    expect(page.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not issue with InvalidCursor', async () => {
    await expect(paginate(query(), { key: null, id: 'id', order: 'asc', limit: 2, cursor: 'not-a-cursor', keyOf: (r) => ({ key: '', id: r.id }) })).rejects.toMatchObject({ code: 'InvalidCursor' });
  });
});
