/**
 * Modal dialogs on the native <dialog>: showModal() makes the rest of the page inert and keeps Tab
 * inside; Escape closes; focus starts on the element marked `data-autofocus` (else the first
 * control) and goes back to whatever opened the dialog when it closes. Render it only while open.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useAction } from '../api/use-submit.js';
import { FormAlert } from './states.js';

export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const latestClose = useRef(onClose);
  useEffect(() => {
    latestClose.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog.open) dialog.close();
      // The opener may be gone (the row it lived in changed); the page then moves focus itself.
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        latestClose.current();
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="dialog-close" aria-label="Close" onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      {children}
    </dialog>
  );
}

interface ConfirmProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  tone?: 'danger' | 'primary';
  /** Do it; a failure is shown in the dialog, in words. On success the caller closes the dialog. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** "Are you sure?" with the consequences spelled out. Focus starts on Cancel, the safe choice. */
export function ConfirmDialog({ title, children, confirmLabel, busyLabel, tone = 'danger', onConfirm, onClose }: ConfirmProps) {
  // On success the caller closes the dialog: it stays busy until then.
  const { busy, error, run } = useAction({ keepBusy: true });
  const confirm = () => run(onConfirm);

  return (
    <Dialog title={title} onClose={() => !busy && onClose()}>
      <div className="dialog-body">
        <FormAlert message={error} />
        {children}
      </div>
      <div className="dialog-actions">
        <button type="button" className="button button-secondary" data-autofocus onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button type="button" className={tone === 'danger' ? 'button button-danger' : 'button button-primary'} onClick={confirm} disabled={busy}>
          {busy ? busyLabel : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
