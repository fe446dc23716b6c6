/**
 * Generated people and whom they know: the vocabulary of profiles, and a network drawn from the
 * members' circles (see `circlesOf` in seed.ts) with a heavy-tailed degree distribution and hubs.
 * Pure: no database here.
 */
import { prng, type Random } from './prng.js';

/* Vocabulary: varied enough that search, PYMK and ICP filters have real structure. */
export const FIRST_NAMES = [
  'Aisha', 'Alejandro', 'Amelia', 'Amir', 'Ana', 'Andrei', 'Anika', 'Arjun', 'Beatriz', 'Ben', 'Camille', 'Carlos', 'Chen', 'Chiara',
  'Chloe', 'Daniel', 'David', 'Diego', 'Elena', 'Emeka', 'Emma', 'Ethan', 'Fatima', 'Felix', 'Freya', 'Gabriel', 'Grace', 'Hana',
  'Hannah', 'Hiroshi', 'Ines', 'Isabel', 'Ivan', 'Jack', 'James', 'Jana', 'Javier', 'Ji-woo', 'Johan', 'Julia', 'Kai', 'Karim',
  'Katarzyna', 'Kofi', 'Laila', 'Lars', 'Laura', 'Leila', 'Leo', 'Lina', 'Lucas', 'Lucia', 'Maria', 'Mateo', 'Maya', 'Mei', 'Mia',
  'Mohammed', 'Nadia', 'Naomi', 'Nikhil', 'Noah', 'Olga', 'Oliver', 'Omar', 'Priya', 'Rafael', 'Ravi', 'Rosa', 'Sade', 'Samir',
  'Sara', 'Sebastian', 'Sofia', 'Sophie', 'Tariq', 'Thomas', 'Tomas', 'Valentina', 'Wei', 'Yara', 'Yusuf', 'Zainab', 'Zoe',
];

export const LAST_NAMES = [
  'Adeyemi', 'Ahmed', 'Almeida', 'Andersson', 'Bauer', 'Becker', 'Bianchi', 'Brown', 'Castillo', 'Chen', 'Cohen', 'Costa', 'Da Silva',
  'Dubois', 'Eriksen', 'Fernandez', 'Fischer', 'Garcia', 'Gomez', 'Gupta', 'Haddad', 'Hansen', 'Hernandez', 'Hoffmann', 'Ibrahim',
  'Ivanova', 'Jansen', 'Johnson', 'Kim', 'Kowalski', 'Kumar', 'Lambert', 'Larsen', 'Lee', 'Lopez', 'Martin', 'Mendes', 'Meyer',
  'Moreau', 'Muller', 'Murphy', 'Nakamura', 'Nguyen', 'Novak', 'Okafor', 'Oliveira', 'Park', 'Patel', 'Petrov', 'Popescu', 'Rahman',
  'Rossi', 'Sato', 'Schmidt', 'Silva', 'Singh', 'Smith', 'Sousa', 'Tanaka', 'Taylor', 'Thompson', 'Van Dijk', 'Wagner', 'Wang',
  'Williams', 'Wilson', 'Wong', 'Yilmaz', 'Zhang', 'Zielinski',
];

export interface IndustryVocabulary {
  name: string;
  titles: string[];
  companies: string[];
  skills: string[];
}

export const INDUSTRIES: IndustryVocabulary[] = [
  {
    name: 'Software Development',
    titles: ['Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Engineering Manager', 'CTO', 'Product Manager', 'Site Reliability Engineer', 'Frontend Developer'],
    companies: ['Northwind Labs', 'Brightloop', 'Cobalt Systems', 'Stackhaven', 'Quillsoft', 'Lumen Cloud', 'Parallax Data', 'Tessellate'],
    skills: ['TypeScript', 'Go', 'Kubernetes', 'PostgreSQL', 'React', 'System Design', 'AWS', 'Rust', 'CI/CD', 'Distributed Systems'],
  },
  {
    name: 'Financial Services',
    titles: ['Financial Analyst', 'Investment Associate', 'Risk Manager', 'Portfolio Manager', 'CFO', 'Compliance Officer', 'Controller'],
    companies: ['Harbor Capital', 'Meridian Bank', 'Silverline Partners', 'Atlas Asset Management', 'Crestview Advisors', 'Keystone Finance'],
    skills: ['Financial Modeling', 'Valuation', 'Risk Management', 'Excel', 'Bloomberg', 'IFRS', 'Due Diligence', 'Corporate Finance'],
  },
  {
    name: 'Marketing Services',
    titles: ['Marketing Manager', 'Growth Marketer', 'Content Strategist', 'Head of Demand Generation', 'CMO', 'Brand Manager', 'SEO Specialist'],
    companies: ['Brightside Agency', 'Signal & Story', 'Amplify Media', 'Northstar Growth', 'Pixel Pioneers', 'Kindred Brands'],
    skills: ['Demand Generation', 'SEO', 'Content Marketing', 'Marketing Automation', 'HubSpot', 'Brand Strategy', 'Copywriting', 'Analytics'],
  },
  {
    name: 'Hospitals and Health Care',
    titles: ['Registered Nurse', 'Clinical Researcher', 'Hospital Administrator', 'Physician', 'Health Data Analyst', 'Practice Manager'],
    companies: ['St. Aurelia Health', 'Riverside Medical Center', 'Vitalis Clinics', 'Greenfield Hospital', 'CarePoint Network'],
    skills: ['Patient Care', 'Clinical Trials', 'EHR', 'Healthcare Management', 'HIPAA', 'Epidemiology', 'Quality Improvement'],
  },
  {
    name: 'Staffing and Recruiting',
    titles: ['Technical Recruiter', 'Talent Acquisition Lead', 'Head of People', 'Executive Recruiter', 'HR Business Partner'],
    companies: ['TalentBridge', 'Hirewell Partners', 'Pathfinder Search', 'PeopleFirst Staffing', 'Summit Talent'],
    skills: ['Sourcing', 'Interviewing', 'Employer Branding', 'ATS', 'Negotiation', 'Onboarding', 'Talent Strategy'],
  },
  {
    name: 'Manufacturing',
    titles: ['Operations Manager', 'Plant Manager', 'Supply Chain Analyst', 'Quality Engineer', 'Procurement Manager', 'COO'],
    companies: ['Ironworks Manufacturing', 'Precision Parts Co.', 'Vanguard Industrial', 'Helix Components', 'Forge & Field'],
    skills: ['Lean Manufacturing', 'Six Sigma', 'Supply Chain Management', 'ERP', 'Procurement', 'Process Improvement'],
  },
  {
    name: 'Business Consulting and Services',
    titles: ['Management Consultant', 'Senior Consultant', 'Partner', 'Business Analyst', 'Strategy Director', 'Founder'],
    companies: ['Clearpath Consulting', 'Bridgewater Strategy', 'Insight Partners Group', 'Elevate Advisory', 'Catalyst & Co.'],
    skills: ['Strategy', 'Change Management', 'Stakeholder Management', 'Business Analysis', 'Market Research', 'Workshops'],
  },
  {
    name: 'Education',
    titles: ['Teacher', 'Professor', 'Instructional Designer', 'Program Director', 'Education Consultant', 'Dean'],
    companies: ['Lakeside Academy', 'Open Learning Institute', 'Brightpath Schools', 'EduNova', 'Horizon College'],
    skills: ['Curriculum Design', 'E-Learning', 'Coaching', 'Public Speaking', 'Research', 'Mentoring'],
  },
  {
    name: 'Real Estate',
    titles: ['Real Estate Agent', 'Property Manager', 'Investment Analyst', 'Broker', 'Development Manager'],
    companies: ['Keystone Realty', 'Urban Nest Properties', 'Cornerstone Estates', 'Bluebrick Development', 'Parkside Homes'],
    skills: ['Property Management', 'Negotiation', 'Real Estate Valuation', 'Leasing', 'Market Analysis', 'CRM'],
  },
  {
    name: 'Sales',
    titles: ['Account Executive', 'Sales Development Representative', 'VP of Sales', 'Customer Success Manager', 'Head of Partnerships', 'Founder'],
    companies: ['Revenue Rocket', 'CloserCo', 'Pipeline Partners', 'Quota Labs', 'Outbound Works'],
    skills: ['B2B Sales', 'Prospecting', 'Salesforce', 'Negotiation', 'Account Management', 'Cold Outreach', 'Social Selling'],
  },
];

export const LOCATIONS: Array<{ name: string; timeZone: string }> = [
  { name: 'London, United Kingdom', timeZone: 'Europe/London' },
  { name: 'Paris, France', timeZone: 'Europe/Paris' },
  { name: 'Berlin, Germany', timeZone: 'Europe/Berlin' },
  { name: 'Amsterdam, Netherlands', timeZone: 'Europe/Amsterdam' },
  { name: 'Madrid, Spain', timeZone: 'Europe/Madrid' },
  { name: 'Lisbon, Portugal', timeZone: 'Europe/Lisbon' },
  { name: 'Stockholm, Sweden', timeZone: 'Europe/Stockholm' },
  { name: 'Warsaw, Poland', timeZone: 'Europe/Warsaw' },
  { name: 'New York, NY, United States', timeZone: 'America/New_York' },
  { name: 'San Francisco, CA, United States', timeZone: 'America/Los_Angeles' },
  { name: 'Austin, TX, United States', timeZone: 'America/Chicago' },
  { name: 'Toronto, Canada', timeZone: 'America/Toronto' },
  { name: 'São Paulo, Brazil', timeZone: 'America/Sao_Paulo' },
  { name: 'Mexico City, Mexico', timeZone: 'America/Mexico_City' },
  { name: 'Lagos, Nigeria', timeZone: 'Africa/Lagos' },
  { name: 'Nairobi, Kenya', timeZone: 'Africa/Nairobi' },
  { name: 'Dubai, United Arab Emirates', timeZone: 'Asia/Dubai' },
  { name: 'Bengaluru, India', timeZone: 'Asia/Kolkata' },
  { name: 'Singapore', timeZone: 'Asia/Singapore' },
  { name: 'Tokyo, Japan', timeZone: 'Asia/Tokyo' },
  { name: 'Seoul, South Korea', timeZone: 'Asia/Seoul' },
  { name: 'Sydney, Australia', timeZone: 'Australia/Sydney' },
];

export const SCHOOLS = [
  'University of Edinburgh', 'Sorbonne University', 'Technical University of Munich', 'Delft University of Technology',
  'University of Barcelona', 'KTH Royal Institute of Technology', 'University of Warsaw', 'Columbia University', 'Stanford University',
  'University of Texas at Austin', 'University of Toronto', 'University of São Paulo', 'University of Lagos', 'University of Nairobi',
  'Indian Institute of Technology Bombay', 'National University of Singapore', 'University of Tokyo', 'Seoul National University',
  'University of Sydney', 'London School of Economics', 'INSEAD', 'ETH Zurich',
];

export const DEGREES: Array<{ degree: string; fields: string[] }> = [
  { degree: 'BSc', fields: ['Computer Science', 'Economics', 'Mathematics', 'Biology', 'Mechanical Engineering', 'Psychology'] },
  { degree: 'BA', fields: ['Business Administration', 'Communications', 'History', 'Marketing', 'Political Science'] },
  { degree: 'MSc', fields: ['Data Science', 'Finance', 'Supply Chain Management', 'Public Health', 'Software Engineering'] },
  { degree: 'MBA', fields: ['Business Administration', 'Strategy', 'Entrepreneurship'] },
  { degree: 'PhD', fields: ['Physics', 'Education', 'Epidemiology', 'Computer Science'] },
];

/** What the network builder needs about a member: its id and its circles (see `circlesOf`). */
export interface SeededMember {
  id: string;
  circles: string[];
}

/** Undirected network in CSR form: node i's neighbours, ascending, are `neighbors[offsets[i] .. offsets[i + 1])`. */
export interface Network {
  offsets: Float64Array;
  neighbors: Int32Array;
  connections: number;
}

// Where a new connection comes from. The rest (15%) picks an endpoint of a random existing
// connection: preferential attachment, which makes the hubs.
const WORK = 0.45;
const SCHOOL = 0.2;
const LOCAL = 0.2;
const KIND: Record<string, number> = { w: 0, s: 1, l: 2 };
/** Chance of staying in the fine circle (same office and era, same class) when it has someone else in it. */
const FINE = 0.75;

export function buildNetwork(members: readonly SeededMember[], opts: { seed: number; avgDegree: number; maxDegree: number; onProgress?: (members: number) => void }): Network {
  const n = members.length;
  const rnd = prng(opts.seed + 7);
  const circles = new Circles(members);
  const maxDegree = Math.max(0, Math.min(opts.maxDegree, n - 1));
  const wanted = Math.min(Math.round((n * opts.avgDegree) / 2), Math.floor((n * maxDegree) / 2));
  const targets = degreeTargets(rnd, n, wanted, Math.floor(maxDegree / 2));
  const edges = new EdgeSet(n, wanted);
  const draw = (i: number) => {
    const r = rnd();
    let j: number;
    if (r >= WORK + SCHOOL + LOCAL && edges.size > 0) j = edges.endpoint(rnd);
    else j = circles.acquaintance(i, r < WORK ? 0 : r < WORK + SCHOOL ? 1 : 2, rnd) ?? Math.floor(rnd() * n);
    return j !== i && (edges.degree[i] as number) < maxDegree && (edges.degree[j] as number) < maxDegree && edges.add(i, j);
  };
  for (let i = 0; i < n && edges.size < wanted; i++) {
    const target = targets[i] as number;
    for (let made = 0, tries = 0; made < target && tries < 8 * target && edges.size < wanted; tries++) if (draw(i)) made++;
    if (i % 10_000 === 0) opts.onProgress?.(i);
  }
  // Duplicates and full members cost a few draws: top up from random members to the exact count.
  for (let tries = 0; edges.size < wanted && tries < 20 * wanted; tries++) draw(Math.floor(rnd() * n));
  opts.onProgress?.(n);
  return edges.toNetwork();
}

/**
 * Heavy-tailed targets (Pareto, shape 2.2, unbounded but for `cap`) scaled to sum to about `total`:
 * most members make a few connections, a few make thousands (about 14,000 at a million members and
 * an average of 100). The top-up in `buildNetwork` makes up what the cap and rounding take away.
 */
function degreeTargets(rnd: Random, n: number, total: number, cap: number): Int32Array {
  const raw = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += raw[i] = 1 / Math.pow(Math.max(1e-12, 1 - rnd()), 1 / 2.2);
  const targets = new Int32Array(n);
  for (let i = 0; i < n; i++) targets[i] = Math.min(cap, Math.round(((raw[i] as number) * total) / sum));
  return targets;
}

/** Circles interned to integers, with their members, so a draw costs a few array reads. */
class Circles {
  private readonly starts: Int32Array; // member i's circles are starts[i] .. starts[i + 1]
  private readonly kind: Uint8Array;
  private readonly fine: Int32Array;
  private readonly coarse: Int32Array;
  private readonly groupStarts: Int32Array; // group g's members are groupMembers[groupStarts[g] .. groupStarts[g + 1]]
  private readonly groupMembers: Int32Array;

  constructor(members: readonly SeededMember[]) {
    const ids = new Map<string, number>();
    const intern = (key: string) => ids.get(key) ?? (ids.set(key, ids.size), ids.size - 1);
    const count = members.reduce((s, m) => s + m.circles.length / 2, 0);
    this.starts = new Int32Array(members.length + 1);
    this.kind = new Uint8Array(count);
    this.fine = new Int32Array(count);
    this.coarse = new Int32Array(count);
    let c = 0;
    members.forEach((m, i) => {
      for (let k = 0; k + 1 < m.circles.length; k += 2, c++) {
        const fine = m.circles[k] as string;
        this.kind[c] = KIND[fine[0] ?? 'l'] ?? 2;
        this.fine[c] = intern(fine);
        this.coarse[c] = intern(m.circles[k + 1] as string);
      }
      this.starts[i + 1] = c;
    });
    this.groupStarts = new Int32Array(ids.size + 1);
    const sizes = new Int32Array(ids.size);
    for (let k = 0; k < count; k++) {
      increment(sizes, this.fine[k] as number);
      increment(sizes, this.coarse[k] as number);
    }
    this.groupStarts = prefixSums(sizes, Int32Array);
    this.groupMembers = new Int32Array(2 * count);
    const fill = this.groupStarts.slice(0, ids.size);
    const put = (group: number, i: number) => {
      const at = fill[group] as number;
      this.groupMembers[at] = i;
      fill[group] = at + 1;
    };
    members.forEach((_, i) => {
      for (let k = this.starts[i] as number; k < (this.starts[i + 1] as number); k++) {
        put(this.fine[k] as number, i);
        put(this.coarse[k] as number, i);
      }
    });
  }

  /** Someone from one of member i's circles of this kind (the current job more often than past ones), if anyone. */
  acquaintance(i: number, kind: number, rnd: Random): number | undefined {
    let chosen = -1;
    let seen = 0;
    for (let k = this.starts[i] as number; k < (this.starts[i + 1] as number); k++) {
      if (this.kind[k] !== kind) continue;
      // The first circle of a kind (the current job) weighs as much as all the others together.
      if (seen === 0 || rnd() < 0.5 / seen) chosen = k;
      seen++;
    }
    if (chosen < 0) return undefined;
    const fine = this.fine[chosen] as number;
    const group = rnd() < FINE && this.size(fine) > 1 ? fine : (this.coarse[chosen] as number);
    if (this.size(group) < 2) return undefined;
    return this.groupMembers[(this.groupStarts[group] as number) + Math.floor(rnd() * this.size(group))];
  }

  private size(group: number): number {
    return (this.groupStarts[group + 1] as number) - (this.groupStarts[group] as number);
  }
}

/** Distinct undirected edges in insertion order, deduplicated by an open-addressing hash of `a * n + b`. */
class EdgeSet {
  size = 0;
  readonly degree: Int32Array;
  private readonly u: Int32Array;
  private readonly v: Int32Array;
  private readonly slots: Float64Array;
  private readonly mask: number;

  constructor(
    private readonly n: number,
    capacity: number,
  ) {
    this.degree = new Int32Array(n);
    this.u = new Int32Array(capacity);
    this.v = new Int32Array(capacity);
    let slots = 1024;
    while (slots < 2 * capacity) slots *= 2;
    this.slots = new Float64Array(slots).fill(-1);
    this.mask = slots - 1;
  }

  add(i: number, j: number): boolean {
    const a = Math.min(i, j);
    const b = Math.max(i, j);
    const key = a * this.n + b;
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x632be5ab, 0x85ebca77);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    for (let s = (h ^ (h >>> 12)) & this.mask; ; s = (s + 1) & this.mask) {
      const k = this.slots[s];
      if (k === key) return false;
      if (k === -1) {
        this.slots[s] = key;
        break;
      }
    }
    this.u[this.size] = a;
    this.v[this.size] = b;
    this.size++;
    increment(this.degree, a);
    increment(this.degree, b);
    return true;
  }

  /** An endpoint of a random edge: a member chosen in proportion to its degree. */
  endpoint(rnd: Random): number {
    const k = Math.floor(rnd() * 2 * this.size);
    return (k < this.size ? this.u[k] : this.v[k - this.size]) as number;
  }

  toNetwork(): Network {
    const offsets = prefixSums(this.degree, Float64Array);
    const neighbors = new Int32Array(2 * this.size);
    const fill = offsets.slice(0, this.n);
    for (let e = 0; e < this.size; e++) {
      const a = this.u[e] as number;
      const b = this.v[e] as number;
      neighbors[increment(fill, a)] = b;
      neighbors[increment(fill, b)] = a;
    }
    for (let i = 0; i < this.n; i++) neighbors.subarray(offsets[i], offsets[i + 1]).sort();
    return { offsets, neighbors, connections: this.size };
  }
}

/** Adds one to `xs[i]`; returns the value before. */
function increment(xs: Int32Array | Float64Array, i: number): number {
  const before = xs[i] as number;
  xs[i] = before + 1;
  return before;
}

/** Start offsets from sizes: `out[i]` is the sum of `sizes[0 .. i)`, with the total last. */
function prefixSums<T extends Int32Array | Float64Array>(sizes: Int32Array, make: new (length: number) => T): T {
  const out = new make(sizes.length + 1);
  for (let i = 0; i < sizes.length; i++) out[i + 1] = (out[i] as number) + (sizes[i] as number);
  return out;
}
