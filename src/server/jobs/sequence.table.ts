/**
 * One enrolment of a subject in a sequence (jobs/sequence.ts has the state machine). At most one
 * *active* (running or paused) enrolment per (sequence, subject_id): a unique partial index.
 */
export type EnrolmentState = 'running' | 'paused' | 'stopped' | 'done';

export interface SequenceEnrolmentTable {
  id: string;
  sequence: string;
  subject_id: string;
  state: EnrolmentState;
  /** 0-based index of the step that runs next (or ran last, once stopped or done). */
  step: number;
  /** When the current step is due; its job is queued at this time (exact, already placed in the window). */
  next_run_at: string;
  /** The subject's IANA time zone, for send windows. */
  time_zone: string;
  context: string; // JSON, parsed by the sequence's schema
  /** Why it stopped or paused (`accepted`, `not-waiting`, …). */
  reason: string | null;
  enrolled_at: string;
  /** When the previous step ran (null before the first). */
  last_step_at: string | null;
  created_at: string;
  updated_at: string;
}
