/**
 * A form's submit: check the values against the shared contract, then send them. Field errors (the
 * browser's or the server's ValidationFailed issues) go by field; anything else becomes a human alert.
 */
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { fieldErrorsOf, friendlyMessage, validate, type FieldErrors } from './messages.js';

export function useSubmit<S extends z.ZodType>(schema: S, values: () => unknown, send: (data: z.output<S>) => Promise<void>) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [alert, setAlert] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAlert(undefined);
    const checked = validate(schema, values());
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await send(checked.data);
    } catch (error) {
      setErrors(fieldErrorsOf(error));
      setAlert(friendlyMessage(error));
    } finally {
      setBusy(false);
    }
  }

  return { errors, alert, busy, submit };
}
