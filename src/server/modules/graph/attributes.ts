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
  /** Each member's sorted org codes: CSR as loaded, plus the rows set since. */
  private orgOffsets = new Int32Array(1);
  private orgTargets = new Int32Array(0);
  private orgs = new Map<number, Int32Array>();
  private members = new Map<number, number[]>();

  /** Everyone at once, at load: straight into the CSR arrays. `facts[u]` belongs to node u. */
  static build(facts: Array<MemberFacts | undefined>): Attributes {
    const a = new Attributes();
    a.ensure(facts.length);
    const rows: Int32Array[] = [];
    for (let u = 0; u < facts.length; u++) {
      const f = facts[u];
      a.industry[u] = f?.industry ? a.code(`industry:${f.industry}`) : NONE;
      a.location[u] = f?.location ? a.code(`location:${f.location}`) : NONE;
      rows.push(f ? Int32Array.from(new Set(f.orgs.map((o) => a.code(o)))).sort() : EMPTY);
    }
    a.orgOffsets = new Int32Array(facts.length + 1);
    for (let u = 0; u < rows.length; u++) a.orgOffsets[u + 1] = (a.orgOffsets[u] as number) + (rows[u] as Int32Array).length;
    a.orgTargets = new Int32Array(a.orgOffsets[facts.length] as number);
    for (let u = 0; u < rows.length; u++) {
      const r = rows[u] as Int32Array;
      a.orgTargets.set(r, a.orgOffsets[u] as number);
      for (const org of r) a.join(org, u);
    }
    return a;
  }

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
    this.orgs.set(u, next);
    for (const org of next) this.join(org, u);
  }

  orgsOf(u: number): Int32Array {
    const changed = this.orgs.get(u);
    if (changed) return changed;
    if (u >= this.orgOffsets.length - 1) return EMPTY;
    return this.orgTargets.subarray(this.orgOffsets[u] as number, this.orgOffsets[u + 1] as number);
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
    let n = this.industry.byteLength + this.location.byteLength + this.orgOffsets.byteLength + this.orgTargets.byteLength;
    for (const r of this.orgs.values()) n += r.byteLength + 16;
    for (const l of this.members.values()) n += l.length * 8;
    return n;
  }

  private join(org: number, u: number): void {
    const list = this.members.get(org);
    if (list) list.push(u);
    else this.members.set(org, [u]);
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
