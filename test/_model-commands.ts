/**
 * The invitation model's commands: plain data generated before a run (fast-check arbitraries for the
 * model and privacy tests), resolved into steps against the state when they run, and the deadlines
 * `advanceTo` aims at. Part of the model in test/_model.ts.
 */
import fc from 'fast-check';
import { NOTE_MAX } from '../src/contracts/invitations.js';
import { newId } from '../src/server/ids.js';
import type { ActKind, Step } from './_model-judge.js';
import { DAY, HOUR, isOpen, WEEK, type Member, type MState, type Settings } from './_model-state.js';

// ---------------------------------------------------------------------------------------------
// Commands: plain data, generated before the run, resolved against the state when they run

export type Pick = 'latest' | 'ghost' | number;
/** Who acts on an invitation: its rightful party, the other party of it, or a member outside it. */
export type Party = 'owner' | 'counterpart' | 'third';
export type SentFilter = 'pending' | 'accepted' | 'withdrawn' | 'expired' | undefined;

export type SendCmd = { kind: 'send'; from: number; to: number | 'ghost'; note: string | undefined };
/** An action on an invitation: `target` counts back from the newest invitation of the run. */
export type ActCmd = { kind: ActKind; target: Pick; as: Party; body?: string };
/** Remove the connection between the two parties of an invitation (made or not), or with a made-up member. */
export type RemoveCmd = { kind: 'remove'; target: Pick; by: 'sender' | 'recipient' };
/** `restore` puts back what an earlier quiet ignore archived: world 1 ignores and restores, world 2 does neither. */
export type QuietCmd = { kind: 'quiet'; action: 'ignore' | 'restore' | 'idk' | 'spam'; target: Pick };
export type Cmd =
  | SendCmd
  | ActCmd
  | RemoveCmd
  | { kind: 'advance'; ms: number }
  | { kind: 'advanceTo'; deadline: 'expiry' | 'cooldown' | 'weekly'; which: number; offset: -1 | 0 | 1 }
  | { kind: 'look'; actor: number; filter: SentFilter }
  | { kind: 'race'; a: SendCmd | ActCmd; b: SendCmd | ActCmd }
  | QuietCmd
  | { kind: 'observe'; actor: number };

export interface Ref {
  id: string;
  from: number;
  to: number;
}

const NOTES = ['Met you at the Lisbon meetup.', '  We worked together at Initech.  ', '   ', 'x'.repeat(NOTE_MAX + 1)];

export const noteArb = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 10 },
  { arbitrary: fc.constantFrom(...NOTES.slice(0, 2)), weight: 10 },
  { arbitrary: fc.constant(NOTES[2]), weight: 2 },
  { arbitrary: fc.constant(NOTES[3]), weight: 1 },
);
export const pickArb = fc.oneof(
  { arbitrary: fc.constant<Pick>('latest'), weight: 12 },
  { arbitrary: fc.nat(4), weight: 8 },
  { arbitrary: fc.constant<Pick>('ghost'), weight: 1 },
);
const partyArb = fc.oneof(
  { arbitrary: fc.constant<Party>('owner'), weight: 20 },
  { arbitrary: fc.constantFrom<Party>('counterpart', 'third'), weight: 1 },
);

/**
 * How a run spends its commands. `mixed` does a bit of everything; `burst` is a busy sender
 * (weekly and outstanding limits); `pair` is one pair's history (IDK bars, withdraw and re-invite,
 * cooldowns, expiry, removal).
 */
export type Profile = 'mixed' | 'burst' | 'pair';
export const profileArb = fc.constantFrom<Profile>('mixed', 'burst', 'pair', 'pair');

export function advanceArb(cfg: Settings, profile: Profile = 'mixed') {
  if (profile === 'burst') return fc.oneof({ arbitrary: fc.integer({ min: HOUR, max: 4 * DAY }), weight: 4 }, { arbitrary: fc.integer({ min: WEEK - HOUR, max: WEEK + HOUR }), weight: 3 });
  return fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 3 * DAY }), weight: 5 },
    { arbitrary: fc.integer({ min: WEEK - HOUR, max: WEEK + HOUR }), weight: 2 },
    { arbitrary: fc.integer({ min: cfg.cooldownMs - HOUR, max: cfg.cooldownMs + HOUR }), weight: 3 },
    { arbitrary: fc.constantFrom(cfg.cooldownMs, cfg.expiryMs), weight: 1 },
    { arbitrary: fc.integer({ min: cfg.expiryMs - 2 * DAY, max: cfg.expiryMs + 2 * DAY }), weight: 2 },
  );
}

export function sendArb(n: number, profile: Profile): fc.Arbitrary<SendCmd> {
  const anyone = fc.nat(n - 1);
  const from = profile === 'mixed' ? anyone : fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: anyone, weight: 1 });
  const to =
    profile === 'pair'
      ? fc.oneof({ arbitrary: fc.constant(1), weight: 9 }, { arbitrary: anyone, weight: 1 })
      : fc.oneof({ arbitrary: fc.integer({ min: 1, max: n - 1 }), weight: 40 }, { arbitrary: anyone, weight: 3 }, { arbitrary: fc.constant('ghost' as const), weight: 1 });
  const pairFrom = profile === 'pair' ? fc.oneof({ arbitrary: fc.constant(0), weight: 9 }, { arbitrary: fc.constant(1), weight: 1 }) : from;
  const other = fc.record({ kind: fc.constant('send' as const), from: pairFrom, to, note: noteArb }).map((c) => (c.from === c.to ? { ...c, to: (c.to + 1) % n } : c));
  const self = fc.record({ kind: fc.constant('send' as const), from: anyone, note: noteArb }).map((c): SendCmd => ({ ...c, to: c.from }));
  return fc.oneof({ arbitrary: other, weight: 30 }, { arbitrary: self, weight: 1 });
}

const removeArb = fc.record({ kind: fc.constant('remove' as const), target: pickArb, by: fc.constantFrom('sender' as const, 'recipient' as const) });

/** Commands for the model test, on a crew of n members. */
export function modelCommandArb(n: number, cfg: Settings, profile: Profile): fc.Arbitrary<Cmd> {
  // A pair's history acts mostly on its newest invitation, so IDK, closure and re-invite follow each other.
  const target = profile === 'pair' ? fc.oneof({ arbitrary: fc.constant<Pick>('latest'), weight: 6 }, { arbitrary: pickArb, weight: 1 }) : pickArb;
  const act = (kinds: ActKind[]): fc.Arbitrary<ActCmd> =>
    fc.record({ kind: fc.constantFrom(...kinds), target, as: partyArb, body: fc.constantFrom('Thanks!', '  Happy to talk first.  ') });
  const race = fc
    .record({ from: fc.nat(n - 1), to: fc.nat(n - 1), third: fc.nat(n - 1), kinds: fc.tuple(raceKindArb, raceKindArb) })
    .map(({ from, to, third, kinds }) => ({ kind: 'race' as const, a: raceCommand(kinds[0], from, to, third), b: raceCommand(kinds[1], from, to, third) }));
  const w = {
    mixed: { send: 8, accept: 3, flag: 4, restore: 1, withdraw: 3, reply: 2, remove: 2, advance: 4, advanceTo: 2, look: 1, race: 2 },
    burst: { send: 14, accept: 2, flag: 2, restore: 1, withdraw: 1, reply: 1, remove: 1, advance: 7, advanceTo: 2, look: 1, race: 3 },
    pair: { send: 10, accept: 4, flag: 8, restore: 2, withdraw: 6, reply: 6, remove: 6, advance: 2, advanceTo: 6, look: 1, race: 1 },
  }[profile];
  return fc.oneof(
    { arbitrary: sendArb(n, profile), weight: w.send },
    { arbitrary: act(['accept']), weight: w.accept },
    { arbitrary: act(profile === 'pair' ? ['ignore', 'idk', 'idk', 'spam'] : ['ignore', 'idk', 'spam']), weight: w.flag },
    // "Move to inbox" at any time; the Undo right after an ignore is undoArb, in the run's arbitrary.
    { arbitrary: act(['restore']), weight: w.restore },
    { arbitrary: act(['withdraw']), weight: w.withdraw },
    { arbitrary: act(['reply']), weight: w.reply },
    { arbitrary: fc.record({ kind: fc.constant('remove' as const), target, by: fc.constantFrom('sender' as const, 'recipient' as const) }), weight: w.remove },
    { arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: advanceArb(cfg, profile) }), weight: w.advance },
    {
      arbitrary: advanceToArb(profile === 'pair' ? fc.constantFrom<Deadline>('expiry', 'cooldown', 'cooldown') : fc.constantFrom<Deadline>('expiry', 'cooldown', 'weekly')),
      weight: w.advanceTo,
    },
    { arbitrary: fc.record({ kind: fc.constant('look' as const), actor: fc.nat(n - 1), filter: fc.constantFrom<SentFilter>(undefined, 'pending', 'accepted', 'withdrawn', 'expired') }), weight: w.look },
    { arbitrary: race, weight: w.race },
  );
}

/** Ignore, then Undo (restore), sometimes twice: the web app's Undo button. Part of a run, not a command. */
export function undoArb(): fc.Arbitrary<Cmd[]> {
  const target = fc.oneof({ arbitrary: fc.constant<Pick>('latest'), weight: 4 }, { arbitrary: pickArb, weight: 1 });
  return fc.record({ target, as: partyArb, twice: fc.boolean() }).map(({ target, as, twice }): Cmd[] => [
    { kind: 'ignore', target, as: 'owner' },
    { kind: 'restore', target, as },
    ...(twice ? [{ kind: 'restore' as const, target, as: 'owner' as const }] : []),
  ]);
}

type RaceKind = 'send' | 'sendBack' | 'sendElsewhere' | 'accept' | 'ignore' | 'restore' | 'idk' | 'spam' | 'withdraw';
const raceKindArb = fc.constantFrom<RaceKind>('send', 'sendBack', 'sendElsewhere', 'accept', 'ignore', 'restore', 'idk', 'spam', 'withdraw');

function raceCommand(kind: RaceKind, from: number, to: number, third: number): SendCmd | ActCmd {
  if (kind === 'send') return { kind: 'send', from, to, note: undefined };
  if (kind === 'sendBack') return { kind: 'send', from: to, to: from, note: undefined };
  if (kind === 'sendElsewhere') return { kind: 'send', from, to: third, note: undefined };
  return { kind, target: 'latest', as: 'owner' };
}

/** Commands for the privacy test: `quiet` is what the recipient does in world 1 only. */
export function privacyCommandArb(n: number, cfg: Settings, profile: Profile): fc.Arbitrary<Cmd> {
  const act = (kind: 'withdraw' | 'accept' | 'reply') => pickArb.map((target): Cmd => ({ kind, target, as: 'owner', ...(kind === 'reply' && { body: 'Hello! How do we know each other?' }) }));
  return fc.oneof(
    { arbitrary: sendArb(n, profile), weight: 8 },
    { arbitrary: act('withdraw'), weight: 4 },
    { arbitrary: act('accept'), weight: 1 },
    { arbitrary: act('reply'), weight: 1 },
    { arbitrary: removeArb, weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('quiet' as const), action: fc.constantFrom('ignore' as const, 'ignore' as const, 'restore' as const, 'idk' as const, 'spam' as const), target: pickArb }), weight: 6 },
    { arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: advanceArb(cfg, profile) }), weight: 3 },
    { arbitrary: advanceToArb(fc.constantFrom<Deadline>('expiry', 'cooldown', 'cooldown', 'cooldown')), weight: 4 },
    { arbitrary: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.nat(n - 1), weight: 1 }).map((actor): Cmd => ({ kind: 'observe', actor })), weight: 2 },
  );
}

type Deadline = 'expiry' | 'cooldown' | 'weekly';
const advanceToArb = (deadline: fc.Arbitrary<Deadline>) =>
  fc.record({ kind: fc.constant('advanceTo' as const), deadline, which: fc.nat(5), offset: fc.constantFrom(-1 as const, 0 as const, 1 as const) });

export function pickFrom<T>(list: T[], pick: Pick): T | undefined {
  if (pick === 'ghost' || list.length === 0) return undefined;
  if (pick === 'latest') return list[list.length - 1];
  return list[list.length - 1 - (pick % list.length)];
}

const thirdOf = (n: number, a: number, b: number) => [...Array(n).keys()].find((i) => i !== a && i !== b) ?? a;

/** Turn a command into a step: pick the invitation (or a made-up id) and who acts on it. `ledger` is in creation order. */
export function resolve(cmd: SendCmd | ActCmd | RemoveCmd, ledger: Ref[], crew: Member[]): Step {
  if (cmd.kind === 'send') {
    const to = cmd.to === 'ghost' ? null : cmd.to;
    return { kind: 'send', actor: cmd.from, to, toId: to === null ? newId() : (crew[to]?.id ?? ''), note: cmd.note };
  }
  const target = pickFrom(ledger, cmd.target);
  if (cmd.kind === 'remove') {
    if (!target) return { kind: 'remove', actor: 0, other: null, otherId: newId() };
    const [actor, other] = cmd.by === 'sender' ? [target.from, target.to] : [target.to, target.from];
    return { kind: 'remove', actor, other, otherId: crew[other]?.id ?? '' };
  }
  const [from, to] = target ? [target.from, target.to] : [0, 1];
  const owner = cmd.kind === 'withdraw' ? from : to;
  const counterpart = cmd.kind === 'withdraw' ? to : from;
  const actor = cmd.as === 'owner' ? owner : cmd.as === 'counterpart' ? counterpart : thirdOf(crew.length, from, to);
  return { kind: cmd.kind, actor, invitationId: target?.id ?? newId(), ...(cmd.body !== undefined && { body: cmd.body }) };
}

/** The future deadline an `advanceTo` aims at, if there is one (falling back to an expiry). */
export function deadlineFor(s: MState, cfg: Settings, cmd: Extract<Cmd, { kind: 'advanceTo' }>): number | undefined {
  return pickDeadline(
    {
      expiry: s.invitations.filter((i) => isOpen(i.status)).map((i) => i.expiresAt),
      cooldown: s.invitations.filter((i) => i.status === 'withdrawn').map((i) => (i.closedAt ?? 0) + cfg.cooldownMs),
      weekly: s.invitations.map((i) => i.createdAt + WEEK),
    },
    s.now,
    cmd,
  );
}

export function pickDeadline(times: Record<Deadline, number[]>, now: number, cmd: { deadline: Deadline; which: number; offset: number }): number | undefined {
  const future = (d: Deadline) => [...new Set(times[d])].map((t) => t + cmd.offset).filter((t) => t > now).sort((a, b) => a - b);
  const list = future(cmd.deadline).length ? future(cmd.deadline) : future('expiry');
  return list.length ? list[cmd.which % list.length] : undefined;
}
