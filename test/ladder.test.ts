/**
 * Model-based property test of the ladder: random signal histories against a plain reference model.
 * As in the service, the ladder is evaluated only by the scheduled evaluation (after time passes),
 * never at the moment of an answer; an accept from a recipient cancels that recipient's IDK.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../src/server/clock.js';
import { decide, RANK, thresholdLevel, type LadderSettings, type Signals, type Standing } from '../src/server/modules/safety/ladder.js';

const cfg: LadderSettings = {
  warnIdk: 2,
  warnAcceptancePercent: 20,
  warnAcceptanceSample: 50,
  restrictIdk: 5,
  restrictSpamUpheld: 2,
  restrictBeyondNetwork: 8,
  newcomerAcceptancePercent: 50,
  suspendFirstDays: 7,
  suspendRepeatDays: 30,
  cleanDays: 30,
};
const WINDOW = 90 * DAY_MS;

type Step = { kind: 'idk' } | { kind: 'accept' } | { kind: 'wait'; days: number };
const step = fc.oneof(
  { arbitrary: fc.constant<Step>({ kind: 'idk' }), weight: 3 },
  { arbitrary: fc.constant<Step>({ kind: 'accept' }), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 40 }).map((days): Step => ({ kind: 'wait', days })), weight: 3 },
);
const quietSignals = { spamUpheld: 0, beyondNetwork: 0, newcomer: false, beyondJudged: { sent: 0, accepted: 0 }, sample: 0, accepted: 0 };

/**
 * Run a history through `decide` the way the service does: answers only record signals; the
 * scheduled evaluation (here: whenever time passes) applies every due change. An accept cancels
 * the oldest IDK that still counts (its recipient knows the sender after all).
 */
function run(steps: Step[]) {
  let now = 0;
  let st: Standing = { level: 'none', since: 0, suspendedUntil: null, suspensions: 0 };
  let mark = 0;
  let idks: number[] = [];
  const trace: Array<{ at: number; from: Standing; to: Standing; idksInWindow: number; last: number | null }> = [];
  const signals = (): Signals => {
    const live = idks.filter((t) => t > now - WINDOW);
    const last = live.length ? Math.max(...live) : null;
    const fromSince = idks.filter((t) => t >= st.since).length;
    return { ...quietSignals, idkRecipients: live.length, newSinceLevel: st.level === 'restricted' ? fromSince - mark : 0, lastSignalAt: last };
  };
  const evaluate = () => {
    for (let i = 0; i < 4; i++) {
      const s = signals();
      const c = decide(st, s, now, cfg);
      if (!c) return;
      const next: Standing = { level: c.level, since: c.since, suspendedUntil: c.suspendedUntil, suspensions: c.suspensions };
      trace.push({ at: now, from: st, to: next, idksInWindow: s.idkRecipients, last: s.lastSignalAt });
      st = next;
      mark = idks.filter((t) => t >= st.since).length;
    }
  };
  for (const s of steps) {
    if (s.kind === 'idk') idks.push(now);
    else if (s.kind === 'accept') idks = idks.filter((t, k) => k !== idks.findIndex((u) => u > now - WINDOW));
    else {
      now += s.days * DAY_MS;
      evaluate();
    }
  }
  return { trace, final: st, now, idks };
}

describe('the ladder', () => {
  it('moves one level at a time, suspends only from restricted, and times suspensions 7 then 30 days', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { trace } = run(steps);
        let suspensions = 0;
        for (const t of trace) {
          const up = RANK[t.to.level] - RANK[t.from.level];
          if (t.to.level === 'suspended') {
            expect(t.from.level).toBe('restricted');
            expect(t.to.suspendedUntil).toBe(t.to.since + (suspensions === 0 ? 7 : 30) * DAY_MS);
            suspensions++;
          } else if (up > 0) {
            // Up to the level the signals call for: warned at 2, restricted at 5 live IDKs.
            expect(t.idksInWindow).toBeGreaterThanOrEqual(t.to.level === 'restricted' ? 5 : 2);
          } else {
            expect(up).toBe(-1);
            if (t.from.level === 'suspended') expect(t.at).toBeGreaterThanOrEqual(t.from.suspendedUntil ?? Infinity);
            else expect(t.at - Math.max(t.from.since, t.last ?? 0)).toBeGreaterThanOrEqual(30 * DAY_MS);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('returns every sender to none once signals stop, within the window plus three clean periods and a suspension', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const quiet: Step[] = Array.from({ length: 10 }, () => ({ kind: 'wait', days: 25 }));
        const { final } = run([...steps, ...quiet]);
        expect(final.level).toBe('none');
      }),
      { numRuns: 1000 },
    );
  });

  it('never warns below the threshold: a single IDK in any window leaves the level at none', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 91, max: 200 }), { maxLength: 10 }), (gaps) => {
        const steps: Step[] = gaps.flatMap((days): Step[] => [{ kind: 'idk' }, { kind: 'wait', days }]);
        expect(run(steps).trace).toEqual([]);
      }),
    );
  });

  it('moves nothing at the moment of an answer: only the scheduled evaluation changes the level', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), fc.integer({ min: 1, max: 12 }), (steps, burst) => {
        const before = run(steps);
        const after = run([...steps, ...Array.from({ length: burst }, (): Step => ({ kind: 'idk' }))]);
        expect(after.trace).toEqual(before.trace);
        expect(after.final).toEqual(before.final);
      }),
    );
  });

  it('cancels an IDK once its recipient accepts: the count the ladder judges drops by one', () => {
    const warned = run([{ kind: 'idk' }, { kind: 'idk' }, { kind: 'wait', days: 1 }]);
    expect(warned.final.level).toBe('warned');
    const cancelled = run([{ kind: 'idk' }, { kind: 'idk' }, { kind: 'accept' }, { kind: 'wait', days: 1 }]);
    expect(cancelled.final.level).toBe('none');
  });

  it('never restricts a newcomer for invitations beyond its network while they are being accepted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 100 }), (recent, judged, acceptedPct) => {
        const accepted = Math.ceil((judged * Math.max(acceptedPct, cfg.newcomerAcceptancePercent)) / 100);
        const s: Signals = { ...quietSignals, idkRecipients: 0, newSinceLevel: 0, lastSignalAt: null, newcomer: true, beyondNetwork: recent, beyondJudged: { sent: judged, accepted } };
        expect(thresholdLevel(s, cfg).level).toBe('none');
      }),
    );
    const judgedBadly: Signals = { ...quietSignals, idkRecipients: 0, newSinceLevel: 0, lastSignalAt: null, newcomer: true, beyondNetwork: 0, beyondJudged: { sent: 20, accepted: 4 } };
    expect(thresholdLevel(judgedBadly, cfg).level).toBe('restricted');
    // An established account is still restricted at once by the send-time count.
    expect(thresholdLevel({ ...judgedBadly, newcomer: false, beyondNetwork: 8, beyondJudged: { sent: 0, accepted: 0 } }, cfg).level).toBe('restricted');
  });

  it('gives reasons that name the threshold crossed, never the exact count of answers', () => {
    const reasons = new Set<string>();
    for (let idk = 0; idk <= 30; idk++) {
      for (let spam = 0; spam <= 10; spam++) {
        for (const beyond of [0, 7, 8, 30]) {
          reasons.add(thresholdLevel({ ...quietSignals, idkRecipients: idk, spamUpheld: spam, beyondNetwork: beyond, newSinceLevel: 0, lastSignalAt: null }, cfg).reason);
        }
      }
    }
    // One reason per cause (restrict: IDK, spam, beyond; warn: IDK; none: quiet or below), whatever the counts.
    expect([...reasons].sort()).toEqual([
      "2 or more people said they don't know you",
      '2 or more spam reports against your invitations were upheld',
      "5 or more people said they don't know you",
      '8 or more invitations this week went to people outside your network and were not accepted',
      'No recent signals',
      'Some signals, all below the thresholds',
    ]);
  });
});
