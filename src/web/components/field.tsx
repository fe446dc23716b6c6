/**
 * Labelled inputs. Every input has a visible <label>; a hint and an error, when present, are tied to
 * it with aria-describedby, and an error also sets aria-invalid so it is announced with the field.
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

export function TextField({ label, error, hint, hideLabel, className, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const { id, hintId, errorId, describedBy } = useDescribed(error, hint);
  const inputId = input.id ?? id;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={inputId} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <input {...input} id={inputId} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
      <Extras hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

export function TextArea({ label, error, hint, hideLabel, className, ...input }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { id, hintId, errorId, describedBy } = useDescribed(error, hint);
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <textarea {...input} id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
      <Extras hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
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
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <select {...select} id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy}>
        {children}
      </select>
      <Extras hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
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
