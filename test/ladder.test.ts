/** Model-based property test of the ladder: random signal histories against a plain reference model. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../src/server/clock.js';
import { decide, RANK, type LadderSettings, type Signals, type Standing } from '../src/server/modules/safety/ladder.js';

const cfg: LadderSettings = {
  warnIdk: 2,
  warnAcceptancePercent: 20,
  warnAcceptanceSample: 50,
  restrictIdk: 5,
  restrictSpamUpheld: 2,
  restrictBeyondNetwork: 8,
  suspendFirstDays: 7,
  suspendRepeatDays: 30,
  cleanDays: 30,
};
const WINDOW = 90 * DAY_MS;

type Step = { kind: 'idk' } | { kind: 'wait'; days: number };
const step = fc.oneof(fc.constant<Step>({ kind: 'idk' }), fc.integer({ min: 1, max: 40 }).map((days): Step => ({ kind: 'wait', days })));

/** Run a history through `decide` the way the service does: evaluate after every step, applying every due change. */
function run(steps: Step[]) {
  let now = 0;
  let st: Standing = { level: 'none', since: 0, suspendedUntil: null, suspensions: 0 };
  let mark = 0;
  const idks: number[] = [];
  const trace: Array<{ at: number; from: Standing; to: Standing; idksInWindow: number; last: number | null }> = [];
  const signals = (): Signals => {
    const live = idks.filter((t) => t > now - WINDOW);
    const last = live.length ? Math.max(...live) : null;
    const fromSince = idks.filter((t) => t >= st.since).length;
    return { idkRecipients: live.length, spamUpheld: 0, beyondNetwork: 0, sample: 0, accepted: 0, newSinceLevel: st.level === 'restricted' ? fromSince - mark : 0, lastSignalAt: last };
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
    else now += s.days * DAY_MS;
    evaluate();
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
});
