/**
 * Every moderation decision asks for words: a reason for the audit log, or a note the member sees.
 * Suspensions may also say how many days. A failure stays in the dialog, in words.
 */
import { useState, type FormEvent } from 'react';
import { useAction } from '../../api/use-submit.js';
import { Dialog } from '../../components/dialog.js';
import { SubmitButton, TextArea, TextField } from '../../components/field.js';
import { FormAlert } from '../../components/states.js';

interface Props {
  title: string;
  intro: string;
  label: string;
  submitLabel: string;
  askDays?: boolean;
  onSubmit: (text: string, days: number | undefined) => Promise<void>;
  onClose: () => void;
}

export function DecisionDialog({ title, intro, label, submitLabel, askDays, onSubmit, onClose }: Props) {
  const [text, setText] = useState('');
  const [days, setDays] = useState('');
  const [errors, setErrors] = useState<{ text?: string; days?: string }>({});
  // On success the caller closes the dialog: it stays busy until then.
  const { busy, error: alert, run } = useAction({ keepBusy: true });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const n = days.trim() ? Number(days) : undefined;
    const next = {
      ...(text.trim() ? {} : { text: 'Write a few words: they go into the audit log.' }),
      ...(n !== undefined && (!Number.isInteger(n) || n < 1 || n > 365) ? { days: 'Enter a whole number of days from 1 to 365.' } : {}),
    };
    setErrors(next);
    if (next.text || next.days) return;
    await run(() => onSubmit(text.trim(), n));
  }

  return (
    <Dialog title={title} onClose={() => !busy && onClose()}>
      <form onSubmit={submit} noValidate>
        <div className="dialog-body">
          <FormAlert message={alert} />
          <p>{intro}</p>
          <TextArea label={label} rows={3} value={text} onChange={(e) => setText(e.target.value)} error={errors.text} data-autofocus />
          {askDays && (
            <TextField label="Days (optional)" hint="Leave empty for the default length." inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} error={errors.days} />
          )}
        </div>
        <div className="dialog-actions">
          <button type="button" className="button button-secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <SubmitButton busy={busy} busyLabel="Saving…">{submitLabel}</SubmitButton>
        </div>
      </form>
    </Dialog>
  );
}
