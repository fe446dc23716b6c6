/**
 * One owner per table (docs/architecture.md): a table is queried only by the module that declares it
 * (db/schema.ts says which), except the joined reads docs/architecture.md lists, each for a measured
 * or stated reason. The dependency rules (npm run deps) guard the imports; this guards the SQL,
 * which imports nothing: every query builder call and every raw `sql` template in src/server is read
 * for the tables it names.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SERVER = join(import.meta.dirname, '../src/server');

/** file → the foreign tables it may read, as listed in docs/architecture.md ("Joined reads"). */
const ALLOWED: Record<string, string[]> = {
  'modules/invitations/invitation.repository.ts': ['connections', 'blocks'], // the profile relationship, one union all (measured)
  'modules/connections/connection.repository.ts': ['members'], // the connections list, sorted and searched by name
  'modules/graph/graph.loader.ts': ['members', 'positions', 'educations'], // the graph's bulk load at start
};

function owners(): Map<string, string> {
  const schema = readFileSync(join(SERVER, 'db/schema.ts'), 'utf8');
  const byInterface = new Map<string, string>();
  for (const m of schema.matchAll(/import type \{([^}]+)\} from '([^']+)'/g)) {
    const path = m[2] ?? '';
    const owner = /^\.\.\/modules\/([\w-]+)\//.exec(path)?.[1] ?? (path.startsWith('../jobs/') ? 'jobs' : path.startsWith('./') ? 'db' : '?');
    for (const name of (m[1] ?? '').split(',')) byInterface.set(name.trim(), owner);
  }
  const map = new Map<string, string>();
  for (const m of schema.matchAll(/^\s+(\w+): (\w+);$/gm)) map.set(m[1] ?? '', byInterface.get(m[2] ?? '') ?? '?');
  return map;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'migrations' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** [table, how] for every table a file names in a query. */
function tablesIn(text: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const m of text.matchAll(/\b(selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin)\(\s*'(\w+)/g)) found.push([m[2] ?? '', m[1] ?? '']);
  for (const m of text.matchAll(/sql(?:<[^>]*>)?`([^`]*)`/g)) {
    for (const k of (m[1] ?? '').matchAll(/\b(from|join|into|update)\s+"?(\w+)"?/gi)) found.push([k[2] ?? '', `sql ${k[1] ?? ''}`]);
  }
  return found;
}

describe('table ownership', () => {
  const owner = owners();

  it('knows the owner of every table in the schema', () => {
    expect(owner.size).toBeGreaterThan(25);
    expect([...owner].filter(([, o]) => o === '?')).toEqual([]);
  });

  it('lets no module query a table another module declares, beyond the listed joined reads', () => {
    const foreign: string[] = [];
    for (const file of sources(SERVER)) {
      const rel = relative(SERVER, file);
      if (rel === 'db/schema.ts') continue;
      const mod = rel.startsWith('modules/') ? rel.split('/')[1] : rel.split('/')[0];
      for (const [table, how] of tablesIn(readFileSync(file, 'utf8'))) {
        const o = owner.get(table);
        if (o === undefined || o === mod || ALLOWED[rel]?.includes(table)) continue;
        foreign.push(`${rel}: ${how} ${table} (owned by ${o})`);
      }
    }
    expect(foreign).toEqual([]);
  });

  it('finds a foreign read when there is one (the scanner is not blind)', () => {
    expect(tablesIn("db.selectFrom('invitations as i').innerJoin('members as m', 'm.id', 'i.sender_id')")).toEqual([['invitations', 'selectFrom'], ['members', 'innerJoin']]);
    expect(tablesIn('sql<boolean>`not exists (select 1 from blocks b where b.x = 1)`')).toEqual([['blocks', 'sql from']]);
  });
});
