/** Loading, error and empty states, worded for people. */
import type { ReactNode } from 'react';
import { friendlyMessage } from '../api/messages.js';
import { PageHeading } from './page.js';

export function Loading({ label }: { label: string }) {
  return (
    <div className="card state" role="status">
      <span className="spinner" aria-hidden="true" />
      <p>{label}</p>
    </div>
  );
}

interface ErrorProps {
  error: unknown;
  title?: string;
  /** Say this instead of the message for the error's code. */
  message?: string;
  onRetry?: (() => void) | undefined;
  /** The error is the whole page: its title is the page's <h1>. */
  page?: boolean;
  children?: ReactNode;
}

export function ErrorState({ error, title = 'That did not work', message, onRetry, page, children }: ErrorProps) {
  return (
    <div className="card state state-error" role="alert">
      {page ? <PageHeading>{title}</PageHeading> : <h2>{title}</h2>}
      <p>{message ?? friendlyMessage(error)}</p>
      {children}
      {onRetry && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

/** A form-level problem, announced as soon as it appears. */
export function FormAlert({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <div className="form-alert" role="alert">
      {message}
    </div>
  );
}

/** A one-line failure beside the control that caused it (a row's action, "Load more"); nothing when there is none. */
export function ErrorLine({ message, className }: { message: string | undefined; className?: string }) {
  if (!message) return null;
  return (
    <p className={className ? `field-error ${className}` : 'field-error'} role="alert">
      {message}
    </p>
  );
}
