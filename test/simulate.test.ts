/**
 * `rapport simulate safety`, small: 600 members (30 spammers, 6 of them careful; 150 honest senders,
 * 15 of them sloppy; 18 newcomers) over 30 simulated days on one seed, through the real services and
 * the scheduled evaluation.
 *
 * Bounds are looser than the full-size targets in docs/safety.md because one sender is 0.7% of 150:
 * "at most 2 honest senders warned" stands for the 1% target at this size.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, earlyRestrictionBound } from '../src/cli/simulate/model.js';
import { EARLY_INVITATIONS, formatReport } from '../src/cli/simulate/report.js';
import { runSafetySimulation } from '../src/cli/simulate/run.js';

describe('safety simulation', () => {
  it('replays the same run from the same seed', async () => {
    const run = () => runSafetySimulation({ seed: 7, members: 150, days: 4, env: {} });
    const [a, b] = [await run(), await run()];
    expect({ ...a, runtimeSeconds: 0 }).toEqual({ ...b, runtimeSeconds: 0 });
    expect(a.invitations.sent).toBeGreaterThan(50);
  });

  it('shows answers alone (IDK and spam counts) cannot restrict 95% of spammers before their 30th invitation under the stated model', () => {
    // 80% of spammers draw an IDK or spam report on 10.2% of invitations, careful ones on 6%.
    const bound = earlyRestrictionBound(DEFAULT_MODEL, EARLY_INVITATIONS);
    expect(bound).toBeCloseTo(0.931, 3);
    expect(bound).toBeLessThan(0.95);
  });

  it('restricts spammers before their 30th invitation and spares honest senders, with the recommended warning threshold', async () => {
    const r = await runSafetySimulation({ seed: 1, members: 600, days: 30, env: { SAFETY_WARN_IDK: '4' } });
    expect(formatReport(r)).toContain('Spammers restricted before their 30th invitation');

    expect(r.population).toMatchObject({ members: 600, honest: 150, sloppy: 15, spammers: 30, careful: 6, newcomers: 18 });
    expect(r.thresholds).toMatchObject({ warnIdk: 4, restrictIdk: 5, restrictSpamUpheld: 2, warnAcceptanceSample: 50 });
    const { honest, sloppy, spammer, careful, newcomer } = r.byKind;
    expect(honest.senders + sloppy.senders + spammer.senders + careful.senders + newcomer.senders).toBe(198);
    expect(honest.invitations + sloppy.invitations + spammer.invitations + careful.invitations + newcomer.invitations).toBe(r.invitations.sent);
    const i = r.invitations;
    expect(i.accepted + i.ignored + i.idk + i.spamReports).toBeLessThanOrEqual(i.sent);
    expect(i.upheld + i.dismissed).toBeLessThanOrEqual(i.spamReports);
    expect(i.idk).toBeGreaterThan(0);

    // The send-time signal (invitations beyond the network) restricts spammers before answers arrive.
    expect(spammer.restrictedEver).toBe(spammer.senders);
    expect(r.spammers.restrictedBefore30).toBeGreaterThanOrEqual(0.95);
    expect(r.spammers.restrictedBefore30).toBeGreaterThan(r.spammers.restrictedBefore30Bound);
    expect(r.spammers.medianInvitationsBeforeRestriction).toBeLessThan(EARLY_INVITATIONS);
    expect(r.refused.emailRequired).toBeGreaterThan(0);

    expect(r.honest.everWarnedCount).toBeLessThanOrEqual(2);
    expect(honest.restrictedEver + sloppy.restrictedEver).toBeLessThanOrEqual(1);

    // Newcomers invite 10–30 people they know in their first week, with an empty profile: none is warned or restricted.
    expect(newcomer.invitations).toBeGreaterThanOrEqual(18 * 10);
    expect(r.newcomers).toEqual({ everFlagged: 0, everWarnedCount: 0, everRestrictedCount: 0 });
    expect(formatReport(r)).toContain('Newcomers ever warned or restricted: 0.0%');
  }, 600_000);
});
