/**
 * What people-you-may-know compares besides connections: each member's employers (current and past)
 * and schools, industry and location, as interned integer codes in typed arrays, and the members of
 * each employer or school.
 *
 * Invariants: `orgsOf(u)` is sorted; `membersOf(org)` holds u exactly when `orgsOf(u)` holds org.
 */
export interface MemberFacts {
  industry: string;
  location: string;
  /** Employers and schools, e.g. `company:Acme`, `school:MIT`. */
  orgs: string[];
}

const NONE = -1;

export class Attributes {
  private codes = new Map<string, number>();
  private names: string[] = [];
  private industry = new Int32Array(1024).fill(NONE);
  private location = new Int32Array(1024).fill(NONE);
  private orgs = new Map<number, Int32Array>();
  private members = new Map<number, number[]>();

  set(u: number, facts: MemberFacts): void {
    this.ensure(u + 1);
    this.industry[u] = facts.industry ? this.code(`industry:${facts.industry}`) : NONE;
    this.location[u] = facts.location ? this.code(`location:${facts.location}`) : NONE;
    for (const org of this.orgsOf(u)) {
      const list = this.members.get(org);
      const at = list?.indexOf(u) ?? -1;
      if (list && at >= 0) list.splice(at, 1);
    }
    const next = Int32Array.from(new Set(facts.orgs.map((o) => this.code(o)))).sort();
    if (next.length > 0) this.orgs.set(u, next);
    else this.orgs.delete(u);
    for (const org of next) {
      const list = this.members.get(org) ?? [];
      list.push(u);
      this.members.set(org, list);
    }
  }

  orgsOf(u: number): Int32Array {
    return this.orgs.get(u) ?? EMPTY;
  }

  membersOf(org: number): readonly number[] {
    return this.members.get(org) ?? [];
  }

  nameOf(code: number): string {
    return this.names[code] ?? '';
  }

  sameIndustry(u: number, v: number): boolean {
    const a = this.industry[u] ?? NONE;
    return a !== NONE && a === this.industry[v];
  }

  sameLocation(u: number, v: number): boolean {
    const a = this.location[u] ?? NONE;
    return a !== NONE && a === this.location[v];
  }

  get bytes(): number {
    let n = this.industry.byteLength + this.location.byteLength;
    for (const r of this.orgs.values()) n += r.byteLength + 16;
    for (const l of this.members.values()) n += l.length * 8;
    return n;
  }

  private code(name: string): number {
    let c = this.codes.get(name);
    if (c === undefined) {
      c = this.names.length;
      this.names.push(name);
      this.codes.set(name, c);
    }
    return c;
  }

  private ensure(n: number): void {
    if (n <= this.industry.length) return;
    const size = Math.max(n, this.industry.length * 2);
    const grow = (a: Int32Array) => {
      const b = new Int32Array(size).fill(NONE);
      b.set(a);
      return b;
    };
    this.industry = grow(this.industry);
    this.location = grow(this.location);
  }
}

const EMPTY = new Int32Array(0);
