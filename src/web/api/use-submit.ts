/**
 * A form's submit: check the values against the shared contract, then send them. Field errors (the
 * browser's or the server's ValidationFailed issues) go by field; anything else becomes a human alert.
 * `useAction` is the same routine for a button that sends no form (Accept, Withdraw, Message): busy
 * while it runs, one run at a time, and a failure in words.
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

/** How an action ends; all optional. */
export interface ActionOptions {
  /**
   * Stay busy after a success: for a dialog or button that goes away once it is done (the caller
   * closes it or navigates), so it cannot be pressed again while it leaves.
   */
  keepBusy?: boolean;
  /** Where the message goes when someone else shows it (a row's error line); by default `error`. */
  onError?: (message: string | undefined) => void;
}

export function useAction(options: ActionOptions = {}) {
  const [error, setError] = useState<string>();
  /** Which action is running, by the name given to `run` (for a list of buttons, each with its own label). */
  const [running, setRunning] = useState<string>();
  // A second click before the disabled button renders must not act twice.
  const acting = useRef(false);
  const report = options.onError ?? setError;

  async function run(action: () => Promise<void>, name = 'action'): Promise<void> {
    if (acting.current) return;
    acting.current = true;
    setRunning(name);
    report(undefined);
    let failed = true;
    try {
      await action();
      failed = false;
    } catch (e) {
      report(friendlyMessage(e));
    } finally {
      acting.current = false;
      if (failed || !options.keepBusy) setRunning(undefined);
    }
  }

  return { busy: running !== undefined, running, error, setError, run };
}
