/**
 * The sender-privacy property of the invitation model: one history played in two worlds (the
 * recipient acts quietly, or does nothing), and the senders' views, normalised, must match byte for
 * byte — their Account health included, which only the scheduled safety evaluation may change. Part
 * of the model in test/_model.ts.
 */
import fc from 'fast-check';
import { SendResult } from '../src/contracts/invitations.js';
import type { TestApp } from './_util.js';
import { pickDeadline, pickFrom, privacyCommandArb, resolve, sendArb, type Cmd, type Profile, type Ref } from './_model-commands.js';
import { bodyOf, execute, isRecord, request, type Response } from './_model-judge.js';
import { count, createCrew, fcParameters, settingsOf, T0, type Member, type Settings, type Stats } from './_model-state.js';

// ---------------------------------------------------------------------------------------------
// Sender privacy: one history, two worlds

/** Keys and values that would tell a sender about ignore, restore, IDK, spam or the Archived folder. */
const FORBIDDEN_KEY = /^(idk|spam|spamReported|ignored|ignoredAt|folder|archived)$/i;
const FORBIDDEN_VALUES = new Set(['ignored', 'restored', 'archived', 'idk', 'spam_reported']);

export function forbiddenIn(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return FORBIDDEN_VALUES.has(value) ? [`${path} = ${value}`] : [];
  if (Array.isArray(value)) return value.flatMap((v, k) => forbiddenIn(v, `${path}[${k}]`));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => [...(FORBIDDEN_KEY.test(key) ? [`${path}.${key}`] : []), ...forbiddenIn(v, `${path}.${key}`)]);
}

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ISO_TIMES = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g;

/** Ids become placeholders by first appearance (members by index); times become offsets from the run's start. */
export class Normaliser {
  private readonly ids = new Map<string, string>();
  private next = 0;
  constructor(
    crew: Member[],
    private readonly t0: number,
  ) {
    crew.forEach((m, i) => this.ids.set(m.id, `<member ${i}>`));
  }

  string(s: string): string {
    return s
      .replace(UUIDS, (id) => {
        let p = this.ids.get(id);
        if (!p) this.ids.set(id, (p = `<id ${this.next++}>`));
        return p;
      })
      .replace(ISO_TIMES, (t) => `<t0+${(Date.parse(t) - this.t0) / 1000}s>`);
  }

  value(v: unknown, key?: string): unknown {
    if (typeof v === 'string') return key === 'nextCursor' ? `<cursor ${this.string(Buffer.from(v, 'base64url').toString('utf8'))}>` : this.string(v);
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x, k)]));
    return v;
  }

  /** Status, Retry-After and the body, byte for byte after normalising. */
  response(res: Response, withBody = true): string {
    const retry = res.headers['retry-after'];
    const text = withBody && res.body !== '' ? ` ${JSON.stringify(this.value(bodyOf(res)))}` : '';
    return `${res.statusCode}${retry === undefined ? '' : ` retry-after=${String(retry)}`}${text}`;
  }
}

interface WorldRef extends Ref {
  expiresAt: number;
  /** World 1 only: the recipient ignored it, said IDK or reported it (and the server said 200). */
  quieted: boolean;
  withdrawnAt?: number;
}

interface World {
  trace: string[];
  leaks: string[];
}

/** Everything member `m` can see as a sender, appended to the trace. */
async function observe(t: TestApp, crew: Member[], norm: Normaliser, ledger: WorldRef[], m: number, label: string, world: World, full: boolean): Promise<void> {
  const me = crew[m];
  const see = async (what: string, url: string) => {
    const res = await request(t, me, 'GET', url);
    world.leaks.push(...forbiddenIn(bodyOf(res)).map((p) => `${label} ${what}: ${p}`));
    world.trace.push(`${label} ${what} → ${norm.response(res)}`);
    return res;
  };
  for (const status of full ? ['', 'pending', 'accepted', 'withdrawn', 'expired'] : ['']) {
    await see(`sent ${status || 'all'}`, `/api/invitations/sent?limit=100${status && `&status=${status}`}`);
  }
  let cursor: string | null = null;
  for (let page = 0; full && page < 10 && (page === 0 || cursor); page++) {
    const res = await see(`sent page ${page}`, `/api/invitations/sent?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    const body = bodyOf(res);
    cursor = isRecord(body) && typeof body.nextCursor === 'string' ? body.nextCursor : null;
  }
  for (const ref of ledger.filter((r) => r.from === m)) {
    // The list already shows each invitation as GET /invitations/:id would; fetch it separately in full views.
    if (full) await see(`invitation`, `/api/invitations/${ref.id}`);
    await see(`events`, `/api/invitations/${ref.id}/events?limit=100`);
  }
  // Account health: before the next scheduled evaluation (none runs inside a history) it must not
  // move with an answer — no level, band, reason, lift date or limit (docs/safety.md).
  await see(`health`, `/api/me/health`);
  // Full views cover every member's profile; light ones those the sender invited.
  for (const [o, other] of crew.entries()) {
    if (o !== m && (full || ledger.some((r) => r.from === m && r.to === o))) await see(`profile of ${o}`, `/api/members/${other.id}`);
  }
}

/** Replay `commands` on fresh members; in world 1 the recipient's quiet actions happen, in world 2 they do not. */
async function playWorld(t: TestApp, cfg: Settings, n: number, commands: Cmd[], quiet: boolean, stats: Stats): Promise<World> {
  t.clock.set(new Date(T0));
  const crew = await createCrew(t, n);
  const norm = new Normaliser(crew, T0);
  const ledger: WorldRef[] = [];
  const world: World = { trace: [], leaks: [] };
  const note = (label: string) => {
    if (quiet) count(stats, label);
  };
  const senderView = (label: string, res: Response) => {
    world.leaks.push(...forbiddenIn(bodyOf(res)).map((p) => `${label}: ${p}`));
    world.trace.push(`${label} → ${norm.response(res)}`);
  };
  for (const [k, cmd] of commands.entries()) {
    const label = `#${k} ${cmd.kind}`;
    switch (cmd.kind) {
      case 'send': {
        const step = resolve(cmd, ledger, crew);
        const res = await execute(t, crew, step);
        senderView(`${label} ${cmd.from}→${String(cmd.to)}`, res);
        const quieted = ledger.filter((r) => r.from === cmd.from && r.to === cmd.to && r.quieted);
        const body = SendResult.safeParse(bodyOf(res));
        const now = t.clock.now().getTime();
        for (const r of quieted) {
          const when =
            r.withdrawnAt !== undefined ? (now < r.withdrawnAt + cfg.cooldownMs ? 'during-cooldown' : 'after-cooldown') : r.expiresAt <= now ? 'after-expiry' : 'while-open';
          note(`reinvite:${when}:${res.statusCode}`);
        }
        if (res.statusCode === 201 && body.success && body.data.outcome === 'sent') {
          const inv = body.data.invitation;
          ledger.push({ id: inv.id, from: cmd.from, to: step.kind === 'send' && step.to !== null ? step.to : -1, expiresAt: Date.parse(inv.createdAt) + cfg.expiryMs, quieted: false });
        }
        break;
      }
      case 'withdraw': {
        const target = pickFrom(ledger, cmd.target);
        const res = await execute(t, crew, resolve(cmd, ledger, crew));
        senderView(label, res);
        if (target?.quieted) note(`withdraw-quieted:${res.statusCode}`);
        if (target && res.statusCode === 200) target.withdrawnAt ??= t.clock.now().getTime();
        break;
      }
      case 'accept':
      case 'reply':
      case 'remove': {
        // The recipient's own answers legitimately differ (folder, ignoredAt); only the outcome must not.
        const res = await execute(t, crew, resolve(cmd, ledger, crew));
        world.trace.push(`${label} → ${res.statusCode}`);
        break;
      }
      case 'quiet': {
        if (!quiet) break;
        const target = pickFrom(ledger, cmd.target);
        const res = await execute(t, crew, resolve({ kind: cmd.action, target: cmd.target, as: 'owner' }, ledger, crew));
        note(`quiet:${cmd.action}:${res.statusCode}`);
        // A restore of what this world quietly ignored: the sender must still see no difference.
        if (cmd.action === 'restore' && target?.quieted) note(`quiet:restore-quieted:${res.statusCode}`);
        if (target && res.statusCode === 200) target.quieted = true;
        break;
      }
      case 'advance':
        t.clock.advance(cmd.ms);
        break;
      case 'advanceTo': {
        const now = t.clock.now().getTime();
        const times = { expiry: ledger.map((r) => r.expiresAt), cooldown: ledger.flatMap((r) => (r.withdrawnAt === undefined ? [] : [r.withdrawnAt + cfg.cooldownMs])), weekly: [] };
        const at = pickDeadline(times, now, cmd);
        if (at !== undefined) t.clock.set(new Date(at));
        break;
      }
      case 'observe':
        if (ledger.some((r) => r.from === cmd.actor && r.quieted)) note('observe-quieted');
        await observe(t, crew, norm, ledger, cmd.actor, label, world, true);
        break;
      case 'look':
      case 'race':
        throw new Error(`${cmd.kind} belongs to the model test`);
    }
  }
  // At the end, everyone who sent something looks; the focal sender (0) looks at everything.
  for (const m of crew.keys()) {
    if (m === 0 || ledger.some((r) => r.from === m)) await observe(t, crew, norm, ledger, m, `end: member ${m}`, world, m === 0);
  }
  return world;
}

export function privacyRunArb(cfg: Settings, maxCommands: number) {
  return fc
    .tuple(fc.integer({ min: 3, max: 4 }), fc.constantFrom<Profile>('pair', 'pair', 'mixed'))
    .chain(([n, profile]) =>
      fc.record({
        n: fc.constant(n),
        profile: fc.constant(profile),
        commands: fc.tuple(sendArb(n, profile), fc.array(privacyCommandArb(n, cfg, profile), { maxLength: maxCommands - 1, size: 'max' })).map(([first, rest]): Cmd[] => [first, ...rest]),
      }),
    );
}

/** Random histories in two worlds; the senders' views must match byte for byte. Returns coverage counts. */
export async function runPrivacyProperty(t: TestApp, numRuns: number, maxCommands: number): Promise<Stats> {
  const cfg = settingsOf(t.config);
  const stats: Stats = new Map();
  await fc.assert(
    fc.asyncProperty(privacyRunArb(cfg, maxCommands), async ({ n, commands }) => {
      fc.pre(commands.some((c) => c.kind === 'quiet'));
      const one = await playWorld(t, cfg, n, commands, true, stats);
      const two = await playWorld(t, cfg, n, commands, false, new Map());
      const leaks = [...one.leaks, ...two.leaks];
      if (leaks.length) throw new Error(`a sender's view names what only the recipient may know:\n  ${leaks.join('\n  ')}`);
      const k = one.trace.findIndex((line, i) => line !== two.trace[i]);
      if (k >= 0 || one.trace.length !== two.trace.length) {
        const at = k >= 0 ? k : Math.min(one.trace.length, two.trace.length);
        throw new Error(
          `the sender can tell the worlds apart at observation ${at}:\n  recipient acted:  ${one.trace[at] ?? '(nothing)'}\n  recipient silent: ${two.trace[at] ?? '(nothing)'}`,
        );
      }
    }),
    fcParameters(numRuns),
  );
  return stats;
}
