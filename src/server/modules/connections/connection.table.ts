/** The tables of connections/: nothing outside this module writes them (docs/architecture.md). */

/** Directed: one row each way, so "my connections" is a range scan on member_id. */
export interface ConnectionTable {
  member_id: string;
  other_id: string;
  invitation_id: string;
  created_at: string;
}

export interface BlockTable {
  blocker_id: string;
  blocked_id: string;
  created_at: string;
}
