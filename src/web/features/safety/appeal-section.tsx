/** The latest enforcement and its appeal: a form while none was sent, then the appeal's status and the admins' note. */
import { useState } from 'react';
import { AppealBody } from '../../../contracts/safety.js';
import { health, type AccountHealth } from '../../api/endpoints.js';
import { useSubmit } from '../../api/use-submit.js';
import { SubmitButton, TextArea } from '../../components/field.js';
import { useNotice } from '../../components/notice.js';
import { asSentence } from '../../components/sentence.js';
import { FormAlert } from '../../components/states.js';
import { formatDay } from '../../components/time.js';

const STATUS = {
  open: 'Your appeal is waiting for a moderator. You will see the decision here.',
  accepted: 'Your appeal was accepted and the decision lifted.',
  rejected: 'Your appeal was not accepted.',
} as const;

export function AppealSection({ h, onSent }: { h: AccountHealth; onSent: () => void }) {
  const e = h.enforcement;
  if (!e || e.level === 'none') return null;
  return (
    <section className="card section" aria-labelledby="appeal-title">
      <h2 id="appeal-title">Appeal</h2>
      <p>
        On {formatDay(e.createdAt)}: <strong>{asSentence(e.reason)}</strong>
      </p>
      {e.appeal ? (
        <div className="appeal-status" role="status">
          <p>{STATUS[e.appeal.status]}</p>
          {e.appeal.note && (
            <blockquote className="note">
              <p>{e.appeal.note}</p>
            </blockquote>
          )}
        </div>
      ) : (
        <AppealForm enforcementId={e.id} onSent={onSent} />
      )}
    </section>
  );
}

function AppealForm({ enforcementId, onSent }: { enforcementId: string; onSent: () => void }) {
  const announce = useNotice();
  const [message, setMessage] = useState('');
  const { errors, alert, busy, submit } = useSubmit(
    AppealBody,
    () => ({ enforcementId, message }),
    async (data) => {
      await health.appeal(enforcementId, data.message);
      announce('Appeal sent. A moderator will look at it.');
      onSent();
    },
  );

  return (
    <form onSubmit={submit} noValidate>
      <FormAlert message={alert} />
      <p className="muted">If you think this is a mistake, tell the moderators why. You can appeal each decision once.</p>
      <TextArea label="Why should this be lifted?" rows={4} value={message} onChange={(e) => setMessage(e.target.value)} error={errors.message} />
      <div className="form-row-end">
        <SubmitButton busy={busy} busyLabel="Sending…">Send appeal</SubmitButton>
      </div>
    </form>
  );
}
