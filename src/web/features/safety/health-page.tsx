/**
 * Account health (PRODUCT.md §4): the sender's level and why, when it lifts, this week's invitations
 * against the limit, and the signals as bands ("none", "a few", "several") — never an exact count of
 * answers, never which recipient. Level, reason and bands are as of the last scheduled evaluation
 * (docs/safety.md). An enforcement can be appealed once, from here.
 */
import { health, type AccountHealth } from '../../api/endpoints.js';
import { useResource } from '../../api/use-resource.js';
import { useAction } from '../../api/use-submit.js';
import { useNotice } from '../../components/notice.js';
import { PageHeading, usePageTitle } from '../../components/page.js';
import { asSentence } from '../../components/sentence.js';
import { ErrorState, FormAlert, Loading } from '../../components/states.js';
import { Ago, formatDay } from '../../components/time.js';
import { NetworkLayout } from '../network/network-layout.js';
import { AppealSection } from './appeal-section.js';

type Level = AccountHealth['level'];

const LEVELS: Record<Level, { title: string; tone: string; effect: string }> = {
  none: { title: 'Good standing', tone: 'ok', effect: 'Nothing limits your invitations beyond the usual weekly limit.' },
  warned: { title: 'Warning', tone: 'warn', effect: 'Please invite only people you know. Nothing limits your invitations yet.' },
  restricted: {
    title: 'Restricted',
    tone: 'bad',
    effect: 'Each invitation needs the email address of the person you invite, and your weekly limit is lower.',
  },
  suspended: { title: 'Suspended from inviting', tone: 'bad', effect: 'You can’t send invitations for now. You can still accept invitations and message your connections.' },
};

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);
const BANDS: Record<AccountHealth['counters']['idkRecipients'], string> = { none: 'None', few: 'A few', several: 'Several' };

export function HealthPage() {
  usePageTitle('Account health');
  const [state, { reload }] = useResource('health', () => health.get());
  return (
    <NetworkLayout current="health">
      <section className="card section" aria-labelledby="health-title">
        <p className="eyebrow">My Network</p>
        <PageHeading id="health-title">Account health</PageHeading>
        <p className="muted">How people answer your invitations decides how freely you can send more. Only totals are shown: never who answered how.</p>
        {state.status === 'loading' && <Loading label="Loading your account health…" />}
        {state.status === 'error' && <ErrorState title="We could not load your account health" error={state.error} onRetry={reload} />}
        {state.status === 'ready' && <Standing h={state.data} onChange={reload} />}
      </section>
      {state.status === 'ready' && (
        <>
          <Counters h={state.data} />
          <AppealSection h={state.data} onSent={reload} />
          <Ladder h={state.data} />
        </>
      )}
    </NetworkLayout>
  );
}

function Standing({ h, onChange }: { h: AccountHealth; onChange: () => void }) {
  const level = LEVELS[h.level];
  const { used, limit } = h.weekly;
  return (
    <div className="health">
      <div className={`health-level health-${level.tone}`}>
        <p className="health-level-name">{level.title}</p>
        <p>{level.effect}</p>
      </div>
      {h.reasons.length > 0 && (
        <div>
          <h2 className="health-sub">Why</h2>
          <ul className="health-reasons">
            {h.reasons.map((r) => (
              <li key={r}>{asSentence(r)}</li>
            ))}
          </ul>
          <p className="muted">
            Since {formatDay(h.since)}.{' '}
            {h.liftsAt ? `If nothing new happens, this lifts on ${formatDay(h.liftsAt)}.` : 'It lifts once enough time passes without new signals.'}
          </p>
        </div>
      )}
      {h.level === 'warned' && <Acknowledge acknowledged={h.acknowledged} onDone={onChange} />}
      {h.newcomer && (
        <p className="muted">
          Your account is new: until {formatDay(h.newcomer.until)} you can send {h.newcomer.weeklyLimit} invitations a week. Invitations to people outside your network count against
          you only if most of them are not accepted.
        </p>
      )}
      <div>
        <h2 className="health-sub" id="weekly-title">
          Invitations this week
        </h2>
        {limit === 0 ? (
          <p>You can’t send invitations while suspended.</p>
        ) : (
          <>
            <progress className="meter" value={Math.min(used, limit)} max={limit} aria-labelledby="weekly-title" />
            <p>
              <strong>
                {used} of {limit}
              </strong>{' '}
              used in the last 7 days. Withdrawing an invitation does not give it back.
            </p>
          </>
        )}
      </div>
    </div>
  );
}

function Acknowledge({ acknowledged, onDone }: { acknowledged: boolean; onDone: () => void }) {
  const announce = useNotice();
  // Once acknowledged, the page reloads and the button goes.
  const { busy, error, run } = useAction({ keepBusy: true });
  if (acknowledged) return <p className="muted">You acknowledged this warning. Thank you.</p>;
  const acknowledge = () =>
    run(async () => {
      await health.acknowledge();
      announce('Thanks: warning acknowledged.');
      onDone();
    });
  return (
    <div>
      <FormAlert message={error} />
      <button type="button" className="button button-primary" onClick={acknowledge} disabled={busy}>
        I understand: I’ll invite only people I know
      </button>
    </div>
  );
}

function Counters({ h }: { h: AccountHealth }) {
  const c = h.counters;
  return (
    <section className="card section" aria-labelledby="counters-title">
      <h2 id="counters-title">Your invitations, last {c.windowDays} days</h2>
      <dl className="stats">
        <div>
          <dt>Invitations sent</dt>
          <dd>{c.invitationsSent}</dd>
        </div>
        <div>
          <dt>Accepted</dt>
          <dd>{percent(c.acceptanceRate)}</dd>
        </div>
        <div>
          <dt>Still waiting for an answer</dt>
          <dd>{percent(c.outstandingShare)}</dd>
        </div>
        <div>
          <dt>People who said they don’t know you</dt>
          <dd>{BANDS[c.idkRecipients]}</dd>
        </div>
        <div>
          <dt>Spam reports upheld</dt>
          <dd>{BANDS[c.spamReportsUpheld]}</dd>
        </div>
        <div>
          <dt>Sent this week to people outside your network</dt>
          <dd>{c.beyondNetworkThisWeek}</dd>
        </div>
      </dl>
      <p className="muted">
        “None” means fewer than 2 people said they don’t know you, “several” means {h.thresholds.restrictIdk} or more. We look at answers together every{' '}
        {h.evaluation.everyMinutes === 60 ? 'hour' : `${h.evaluation.everyMinutes} minutes`}, never one at a time
        {h.evaluation.lastAt ? (
          <>
            ; last <Ago iso={h.evaluation.lastAt} />
          </>
        ) : null}
        .
      </p>
    </section>
  );
}

function Ladder({ h }: { h: AccountHealth }) {
  const t = h.thresholds;
  return (
    <section className="card section" aria-labelledby="ladder-title">
      <h2 id="ladder-title">How it works</h2>
      <ol className="ladder">
        <li className={h.level === 'warned' ? 'ladder-current' : undefined}>
          <strong>Warning</strong> when {t.warnIdk} people say they don’t know you, or fewer than {t.warnAcceptancePercent}% of your recent invitations are accepted.
        </li>
        <li className={h.level === 'restricted' ? 'ladder-current' : undefined}>
          <strong>Restricted</strong> at {t.restrictIdk} people who don’t know you, {t.restrictSpamUpheld} upheld spam reports, or {t.restrictBeyondNetwork} invitations in a week to
          people outside your network (no mutual connection, shared employer or school, or same industry and city) that were not accepted: each invitation needs the person’s
          email address, and fewer invitations a week.
        </li>
        <li className={h.level === 'suspended' ? 'ladder-current' : undefined}>
          <strong>Suspended from inviting</strong> for a while if it happens again while restricted.
        </li>
      </ol>
      <p className="muted">
        Signals older than {h.counters.windowDays} days stop counting, and a level steps down after a clean period. If you think a decision is wrong, you can appeal it once.
      </p>
    </section>
  );
}
