/**
 * A model of the invitation lifecycle (PRODUCT.md §2) for property tests, and the harness that
 * replays command sequences against the real server over HTTP.
 *
 * The model is plain data (structuredClone-able): a race of two requests is checked against both
 * orders. It mirrors the service exactly, including when an expiry is persisted (lazily, in the
 * transaction of a successful write on the pair), so stored rows and the event log can be compared
 * row for row. Members are indices 0..n-1 into the run's crew; ids appear only at the HTTP edge.
 *
 * Sections: settings and crew · model state · views · predictions · HTTP execution · commands and
 * arbitraries · the database read directly (invariants) · reads compared with the model · the model
 * property · the sender-privacy property. The two properties live here so the default test files and
 * test/long share them.
 *
 * Files: test/_model-state.ts (settings and crew, model state, views, run helpers) ·
 * test/_model-judge.ts (predictions, HTTP execution and judging) · test/_model-commands.ts (commands
 * and arbitraries) · test/_model-reads.ts (the database read directly, reads compared with the model)
 * · test/_model-privacy.ts (the sender-privacy property) · this file (the model property, and the
 * public entry points: import from here).
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { TestApp } from './_util.js';
import { deadlineFor, modelCommandArb, profileArb, resolve, sendArb, undoArb, type Cmd } from './_model-commands.js';
import { bodyOf, execute, isRecord, judge, predict } from './_model-judge.js';
import { expectedDatabase, invariantViolations, look, readDatabase } from './_model-reads.js';
import { count, createCrew, emptyState, expiredByTime, fcParameters, settingsOf, T0, type Member, type MState, type Settings, type Stats } from './_model-state.js';

export {
  DAY,
  HOUR,
  WEEK,
  iso,
  settingsOf,
  createCrew,
  relaxDurability,
  relaxPostgresDurability,
  emptyState,
  pairOf,
  sentStatus,
  sentView,
  receivedView,
  relationshipOf,
  eventsSeenBy,
  T0,
  cpuSeconds,
  runsFromEnv,
  fcParameters,
  type Settings,
  type Member,
  type Stored,
  type MEvent,
  type MInvitation,
  type MState,
  type Stats,
} from './_model-state.js';
export { predict, request, execute, bodyOf, judge, isRecord, type ActKind, type Step, type Outcome, type Response, type Verdict } from './_model-judge.js';
export {
  noteArb,
  pickArb,
  profileArb,
  advanceArb,
  modelCommandArb,
  privacyCommandArb,
  pickFrom,
  resolve,
  deadlineFor,
  type Pick,
  type Party,
  type SentFilter,
  type SendCmd,
  type ActCmd,
  type RemoveCmd,
  type QuietCmd,
  type Cmd,
  type Ref,
  type Profile,
} from './_model-commands.js';
export { readDatabase, invariantViolations, expectedDatabase, look, type DbSnapshot } from './_model-reads.js';
export { forbiddenIn, Normaliser, privacyRunArb, runPrivacyProperty } from './_model-privacy.js';

// ---------------------------------------------------------------------------------------------
// The model-based property

/** Read the database, check the invariants, and find the candidate state it holds (a race may leave two). */
async function settle(t: TestApp, crew: Member[], candidates: MState[], context: string): Promise<MState> {
  const db = await readDatabase(t, crew);
  const problems = invariantViolations(db);
  if (problems.length) throw new Error(`${context}: invariant broken:\n  ${problems.join('\n  ')}`);
  const { eventIds: _ids, ...stored } = db;
  const found = candidates.find((c) => isDeepStrictEqual(stored, expectedDatabase(c, crew)));
  if (found) return found;
  const first = candidates[0];
  if (!first) throw new Error(`${context}: no candidate state`);
  throw new Error(`${context}: the database differs from the model:\n${diffText(stored, expectedDatabase(first, crew))}`);
}

function diffText(actual: unknown, expected: unknown): string {
  return `  actual:   ${JSON.stringify(actual)}\n  expected: ${JSON.stringify(expected)}`;
}

/** One command against the server; returns the states the model allows afterwards. */
async function runCommand(t: TestApp, cfg: Settings, crew: Member[], s: MState, cmd: Cmd, stats: Stats, context: string): Promise<MState[]> {
  switch (cmd.kind) {
    case 'advance':
      t.clock.advance(cmd.ms);
      return [{ ...s, now: s.now + cmd.ms }];
    case 'advanceTo': {
      const at = deadlineFor(s, cfg, cmd);
      if (at === undefined) return [s];
      count(stats, `advanceTo:${cmd.deadline}:${cmd.offset}`);
      t.clock.set(new Date(at));
      return [{ ...s, now: at }];
    }
    case 'look': {
      const { mismatches, next } = await look(t, crew, s, cmd.actor, cmd.filter);
      count(stats, 'look');
      if (mismatches.length) throw new Error(`${context}: reads differ from the model:\n${mismatches.map((x) => `${x.what}\n${diffText(x.actual, x.expected)}`).join('\n')}`);
      return [next];
    }
    case 'race': {
      const a = resolve(cmd.a, s.invitations, crew);
      const b = resolve(cmd.b, s.invitations, crew);
      const [ra, rb] = await Promise.all([execute(t, crew, a), execute(t, crew, b)]);
      const candidates: MState[] = [];
      const misses: string[] = [];
      for (const [x, rx, y, ry] of [
        [a, ra, b, rb],
        [b, rb, a, ra],
      ] as const) {
        const first = predict(s, x, crew, cfg);
        const lenient = t.ctx.database.dialect === 'postgres';
        const v1 = judge(first, rx, s, lenient);
        if (!v1.ok) {
          misses.push(`${x.kind} first:\n${diffText(v1.actual, v1.expected)}`);
          continue;
        }
        const second = predict(v1.next, y, crew, cfg);
        const v2 = judge(second, ry, v1.next, lenient);
        if (!v2.ok) {
          misses.push(`${x.kind} first, then ${y.kind}:\n${diffText(v2.actual, v2.expected)}`);
          continue;
        }
        count(stats, `race:${first.label}|${second.label}`);
        candidates.push(v2.next);
      }
      if (!candidates.length) throw new Error(`${context}: a race must answer as one of its two orders would:\n${misses.join('\n')}`);
      return candidates;
    }
    case 'send':
    case 'remove':
    case 'accept':
    case 'ignore':
    case 'restore':
    case 'idk':
    case 'spam':
    case 'withdraw':
    case 'reply': {
      const step = resolve(cmd, s.invitations, crew);
      const outcome = predict(s, step, crew, cfg);
      const res = await execute(t, crew, step);
      const verdict = judge(outcome, res, s);
      if (!verdict.ok) throw new Error(`${context}: the server answered differently from the model:\n${diffText(verdict.actual, verdict.expected)}`);
      count(stats, outcome.label);
      if (outcome.label === 'send:201:barred') {
        // The IDK bar, stated outright: stored in Archived, shown to the sender as pending.
        const body = bodyOf(res);
        const shown = isRecord(body) && isRecord(body.invitation) ? body.invitation.status : undefined;
        const stored = await t.ctx.database.db.selectFrom('invitations').select('status').where('id', '=', isRecord(body) && isRecord(body.invitation) ? String(body.invitation.id) : '').executeTakeFirst();
        if (shown !== 'pending' || stored?.status !== 'ignored') throw new Error(`${context}: a barred invitation must be stored ignored (${stored?.status}) and shown pending (${String(shown)})`);
      }
      return [verdict.next];
    }
    case 'quiet':
    case 'observe':
      throw new Error(`${cmd.kind} belongs to the privacy test`);
  }
}

export function modelRunArb(cfg: Settings, maxCommands: number) {
  // A burst needs at least three recipients to reach the outstanding limit; a pair's history needs few bystanders.
  const crewSize = { mixed: fc.integer({ min: 3, max: 5 }), burst: fc.integer({ min: 4, max: 5 }), pair: fc.integer({ min: 3, max: 4 }) };
  return profileArb
    .chain((profile) => fc.tuple(crewSize[profile], fc.constant(profile)))
    .chain(([n, profile]) =>
      fc.record({
        n: fc.constant(n),
        profile: fc.constant(profile),
        // Start with an invitation: actions before the first one can only be "not found".
        commands: fc
          .tuple(sendArb(n, profile), fc.array(fc.oneof({ arbitrary: modelCommandArb(n, cfg, profile).map((c) => [c]), weight: 40 }, { arbitrary: undoArb(), weight: profile === 'burst' ? 0 : 1 }), { maxLength: maxCommands - 1, size: 'max' }))
          .map(([first, rest]): Cmd[] => [first, ...rest.flat()].slice(0, maxCommands)),
      }),
    );
}

/** Random command sequences against the real server; the model must agree at every step. Returns outcome counts. */
export async function runModelProperty(t: TestApp, numRuns: number, maxCommands: number): Promise<Stats> {
  const cfg = settingsOf(t.config);
  const stats: Stats = new Map();
  await fc.assert(
    fc.asyncProperty(modelRunArb(cfg, maxCommands), async ({ n, commands }) => {
      t.clock.set(new Date(T0));
      const crew = await createCrew(t, n);
      let s = emptyState(T0);
      // Invitations the run has seen withdrawn or expired: none of them may ever be accepted.
      const closedForGood = new Set<string>();
      for (const [k, cmd] of commands.entries()) {
        const context = `command #${k} ${JSON.stringify(cmd)}`;
        const candidates = await runCommand(t, cfg, crew, s, cmd, stats, context);
        s = cmd.kind === 'advance' || cmd.kind === 'advanceTo' ? (candidates[0] ?? s) : await settle(t, crew, candidates, context);
        const reopened = s.invitations.filter((i) => closedForGood.has(i.id) && i.status === 'accepted');
        if (reopened.length) throw new Error(`${context}: accepted after being withdrawn or expired: ${reopened.map((i) => i.id).join(', ')}`);
        for (const i of s.invitations) if (i.status === 'withdrawn' || i.status === 'expired' || expiredByTime(i, s.now)) closedForGood.add(i.id);
      }
    }),
    fcParameters(numRuns),
  );
  return stats;
}
