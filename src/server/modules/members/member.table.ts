export type Role = 'member' | 'admin';

export interface MemberTable {
  id: string;
  email: string; // normalised: trimmed, lower-case
  password_hash: string;
  role: Role;
  full_name: string;
  search_name: string; // lower-cased full name for search
  headline: string;
  current_title: string;
  current_company: string;
  industry: string;
  location: string;
  time_zone: string;
  about: string;
  skills: string; // JSON array of strings
  created_at: string; // ISO-8601 UTC
  updated_at: string;
  /** Set when the account was deleted: the row is a tombstone with every personal field erased. */
  deleted_at: string | null;
}

/** Past and current employers, one row per position. */
export interface PositionTable {
  id: string;
  member_id: string;
  ordinal: number;
  title: string;
  company: string;
  start_year: number;
  end_year: number | null; // null: current
}

export interface EducationTable {
  id: string;
  member_id: string;
  ordinal: number;
  school: string;
  degree: string;
  field: string;
  start_year: number;
  end_year: number | null;
}
