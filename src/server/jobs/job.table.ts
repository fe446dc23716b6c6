/** queued → running (leased) → done | queued again (retry, backoff) | failed (attempts used up). */
export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface JobTable {
  id: string;
  name: string;
  payload: string; // JSON, validated by the handler's schema when the job runs
  /** Dedupe / debounce key: at most one queued job per key (a unique partial index). */
  key: string | null;
  state: JobState;
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  /** The lease: a running job whose lease has passed belongs to a crashed worker and is claimed again. */
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}
