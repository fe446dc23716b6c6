/**
 * "Ignore" with Undo. The API has no way back from ignored, so the ignore is only sent when the
 * undo window closes (like Gmail's undo send). Leaving the page, or logging out, sends the waiting
 * ignores at once: the member meant them. Closing the tab inside the window drops them, and the
 * invitation simply stays in the inbox.
 */
import { invitations } from '../../api/endpoints.js';

export const UNDO_MS = 5_000;

interface Waiting {
  timer: number;
  send: () => Promise<void>;
}

const waiting = new Map<string, Waiting>();

/** Start the window; `sent` hears how the ignore went once it was sent (not after an undo). */
export function scheduleIgnore(invitationId: string, sent: (error?: unknown) => void): void {
  cancelIgnore(invitationId);
  const send = async () => {
    waiting.delete(invitationId);
    try {
      await invitations.ignore(invitationId);
      sent();
    } catch (error) {
      sent(error);
    }
  };
  waiting.set(invitationId, { timer: window.setTimeout(() => void send(), UNDO_MS), send });
}

/** Undo: nothing was sent, nothing will be. Returns whether there was anything to undo. */
export function cancelIgnore(invitationId: string): boolean {
  const w = waiting.get(invitationId);
  if (!w) return false;
  window.clearTimeout(w.timer);
  waiting.delete(invitationId);
  return true;
}

/** Send one waiting ignore now (its row is going away). */
export function flushIgnore(invitationId: string): Promise<void> {
  const w = waiting.get(invitationId);
  if (!w) return Promise.resolve();
  window.clearTimeout(w.timer);
  return w.send();
}

/** Send every waiting ignore now, e.g. before logging out. */
export async function flushAllIgnores(): Promise<void> {
  await Promise.all([...waiting.keys()].map(flushIgnore));
}
