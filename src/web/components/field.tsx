/**
 * Labelled inputs, and the submit button that goes with them. Every input has a visible <label>; a
 * hint and an error, when present, are tied to it with aria-describedby, and an error also sets
 * aria-invalid so it is announced with the field.
 */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { Password } from '../../contracts/auth.js';

interface Common {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  /** Hide the label visually (it stays for screen readers), e.g. a search box with a visible button. */
  hideLabel?: boolean;
  className?: string;
}

function useDescribed(error: string | undefined, hint: ReactNode) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return { id, hintId, errorId, describedBy };
}

function Extras({ hint, hintId, error, errorId }: { hint: ReactNode; hintId: string | undefined; error: string | undefined; errorId: string | undefined }) {
  return (
    <>
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </>
  );
}

/** The label, the control, then its hint and error: the frame every field shares. */
function Frame({ label, inputId, hideLabel, className, extras, children }: { label: string; inputId: string; hideLabel: boolean | undefined; className: string | undefined; extras: ReactNode; children: ReactNode }) {
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={inputId} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      {children}
      {extras}
    </div>
  );
}

export function TextField({ label, error, hint, hideLabel, className, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const { id, hintId, errorId, describedBy } = useDescribed(error, hint);
  const inputId = input.id ?? id;
  return (
    <Frame label={label} inputId={inputId} hideLabel={hideLabel} className={className} extras={<Extras hint={hint} hintId={hintId} error={error} errorId={errorId} />}>
      <input {...input} id={inputId} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
    </Frame>
  );
}

export function TextArea({ label, error, hint, hideLabel, className, ...input }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { id, hintId, errorId, describedBy } = useDescribed(error, hint);
  return (
    <Frame label={label} inputId={id} hideLabel={hideLabel} className={className} extras={<Extras hint={hint} hintId={hintId} error={error} errorId={errorId} />}>
      <textarea {...input} id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
    </Frame>
  );
}

export function SelectField({
  label,
  error,
  hint,
  hideLabel,
  className,
  children,
  ...select
}: Common & SelectHTMLAttributes<HTMLSelectElement>) {
  const { id, hintId, errorId, describedBy } = useDescribed(error, hint);
  return (
    <Frame label={label} inputId={id} hideLabel={hideLabel} className={className} extras={<Extras hint={hint} hintId={hintId} error={error} errorId={errorId} />}>
      <select {...select} id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy}>
        {children}
      </select>
    </Frame>
  );
}

/**
 * A password input. `current` confirms who you are; `new` chooses one, with the contract's minimum as
 * its hint (read from the contract, so the two cannot drift); `repeat` is the new one again.
 */
export function PasswordField({ purpose, ...field }: { purpose: 'current' | 'new' | 'repeat' } & Common & InputHTMLAttributes<HTMLInputElement>) {
  const hint = purpose === 'new' ? `At least ${Password.minLength ?? 0} characters.` : undefined;
  return <TextField type="password" autoComplete={purpose === 'current' ? 'current-password' : 'new-password'} hint={hint} required {...field} />;
}

/** A form's submit button: disabled while the form sends, and saying what it is doing ("Sending…"). */
export function SubmitButton({ busy, busyLabel, className = 'button button-primary', children }: { busy: boolean; busyLabel: string; className?: string; children: ReactNode }) {
  return (
    <button type="submit" className={className} disabled={busy}>
      {busy ? busyLabel : children}
    </button>
  );
}
