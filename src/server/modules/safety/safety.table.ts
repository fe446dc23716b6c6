/** A sender's place on the published ladder (PRODUCT.md §4). 0 none · 1 warned · 2 restricted · 3 suspended. */
export type Level = 'none' | 'warned' | 'restricted' | 'suspended';

export interface StandingTable {
  member_id: string;
  level: Level;
  reason: string;
  since: string;
  suspended_until: string | null;
  suspensions: number;
  acknowledged_at: string | null;
  /** Signals before this instant no longer count (an admin lift or an accepted appeal). */
  signals_reset_at: string | null;
  /** Signals stamped at `since` or later that were already counted when this level began. */
  signal_mark: number;
  /**
   * What the sender is shown, as of `evaluated_at` (the last scheduled evaluation): the IDK and
   * upheld-report counts behind the bands, and when the level would lift. Never updated by an answer.
   */
  idk_recipients: number;
  spam_upheld: number;
  lifts_at: string | null;
  evaluated_at: string | null;
}

/** One row per scheduled batch (name 'ladder'): when it last ran, so the next knows what is fresh. */
export interface SafetyEvaluationTable {
  name: string;
  ran_at: string;
}

/** Every change of level, automatic or by an admin, with its reason. Appeals attach to one. */
export interface EnforcementTable {
  id: string;
  member_id: string;
  from_level: Level;
  to_level: Level;
  reason: string;
  source: 'auto' | 'admin';
  actor_id: string | null;
  created_at: string;
}

export interface AppealTable {
  id: string;
  enforcement_id: string;
  member_id: string;
  message: string;
  status: 'open' | 'accepted' | 'rejected';
  decided_by: string | null;
  decision_note: string | null;
  created_at: string;
  decided_at: string | null;
}

/** Append-only: who (null = the system), what, about whom, why, when. */
export interface AuditTable {
  id: string;
  actor_id: string | null;
  action: string;
  subject_id: string | null;
  reason: string;
  details: string; // JSON
  at: string;
}

/** A recipient's spam report on an invitation; written through SafetyService.reportSpam. */
export interface SpamReportTable {
  id: string;
  invitation_id: string;
  reporter_id: string;
  sender_id: string;
  status: 'open' | 'upheld' | 'dismissed';
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
}
