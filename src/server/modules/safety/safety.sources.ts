/**
 * What safety/ reads of invitations/ (its `invitations` and `invitation_events` tables): the ladder's
 * signals and the notes of reported invitations. invitations/ calls safety/ (the send gate, spam
 * reports), so safety/ cannot import it back without a circle: it declares the shape it calls here,
 * and context.ts plugs in invitations/index.ts's `invitationSignals` and `findInvitations`
 * (TypeScript checks there that they fit). Every read takes the caller's executor first.
 */
import type { Executor } from '../../db/database.js';

/** An evaluation window, both ends included. */
export interface Window {
  from: string;
  to: string;
}

export interface InvitationReads {
  /** How many invitations the sender created after `since`. */
  countSentSince(db: Executor, senderId: string, since: string): Promise<number>;
  /** IDK answers and spam reports since `since`, not cancelled by an accept: distinct recipients, and the latest time. */
  idkSignals(db: Executor, senderId: string, since: string): Promise<{ recipients: number; last: string | null }>;
  /** IDK answers and spam reports (not cancelled by an accept) stamped in [from, through]. */
  idkFrom(db: Executor, senderId: string, from: string, through?: string): Promise<number>;
  /** Unaccepted invitations beyond the network since `since`: how many, and the latest time. */
  beyondNetwork(db: Executor, senderId: string, since: string): Promise<{ count: number; last: string | null }>;
  /** Invitations beyond the network created in (since, before], and how many of them were accepted. */
  beyondNetworkJudged(db: Executor, senderId: string, since: string, before: string): Promise<{ sent: number; accepted: number }>;
  /** The latest `sample` invitations created in (since, before], and how many of them were accepted. */
  acceptanceSample(db: Executor, senderId: string, since: string, before: string, sample: number): Promise<{ sample: number; accepted: number }>;
  /** Invitations sent since `since`, and how many are open at `now`, ignored, accepted. */
  sentAndOpen(db: Executor, senderId: string, since: string, now: string): Promise<{ sent: number; open: number; ignored: number; accepted: number }>;
  /** Senders of invitations created in the window. */
  sendersOfInvitations(db: Executor, w: Window): Promise<string[]>;
  /** Senders whose invitations drew an IDK, a spam report or an accept in the window. */
  sendersAnswered(db: Executor, w: Window): Promise<string[]>;
  /** These invitations (one batched read; unknown ids are left out): the admin queue's notes. */
  findInvitations(db: Executor, ids: readonly string[]): Promise<Array<{ id: string; note: string | null }>>;
}
