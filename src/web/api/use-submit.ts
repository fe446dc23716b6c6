/**
 * A form's submit: check the values against the shared contract, then send them. Field errors (the
 * browser's or the server's ValidationFailed issues) go by field; anything else becomes a human alert.
 */
import { useRef, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { fieldErrorsOf, friendlyMessage, validate, type FieldErrors } from './messages.js';

/** What a form adds to the plain submit; all optional. */
export interface SubmitOptions {
  /** Checks the contract cannot make (the two passwords match): field errors to add to the contract's. */
  check?: (errors: FieldErrors) => FieldErrors | undefined;
  /** The alert when the browser finds field errors; by default none, the fields say it. */
  invalid?: string | ((errors: FieldErrors) => string);
  /** When sending fails: field errors or an alert other than the usual ones, and any side effect. */
  failed?: (error: unknown) => { errors?: FieldErrors | undefined; alert?: string | undefined } | void;
}

export function useSubmit<S extends z.ZodType>(schema: S, values: () => unknown, send: (data: z.output<S>) => Promise<void>, options: SubmitOptions = {}) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [alert, setAlert] = useState<string>();
  const [busy, setBusy] = useState(false);
  // A second click before the disabled button renders must not send twice.
  const sending = useRef(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (sending.current) return;
    setAlert(undefined);
    const checked = validate(schema, values());
    const contract = checked.ok ? {} : checked.errors;
    const found = { ...contract, ...options.check?.(contract) };
    if (!checked.ok || Object.keys(found).length > 0) {
      const { invalid } = options;
      setErrors(found);
      setAlert(typeof invalid === 'function' ? invalid(found) : invalid);
      return;
    }
    setErrors({});
    setBusy(true);
    sending.current = true;
    try {
      await send(checked.data);
    } catch (error) {
      const shown = options.failed?.(error) ?? {};
      setErrors(shown.errors ?? fieldErrorsOf(error));
      setAlert(shown.alert ?? friendlyMessage(error));
    } finally {
      sending.current = false;
      setBusy(false);
    }
  }

  return { errors, alert, busy, submit };
}
