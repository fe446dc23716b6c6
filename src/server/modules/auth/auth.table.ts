import type { ColumnType } from 'kysely';

/** Optional on insert: the column has a default, or predates the code that writes it. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface SessionTable {
  id: string;
  member_id: string;
  token_hash: string; // sha256 of the cookie token; the token itself is never stored
  csrf_token: string;
  created_at: string;
  expires_at: string;
  user_agent: Defaulted<string>; // at sign-in, for the Sessions page ('' for sessions older than 0010)
  ip: Defaulted<string>; // at sign-in
  last_seen_at: Defaulted<string | null>; // written at most once a minute; null for sessions older than 0010
}

export interface ApiTokenTable {
  id: string;
  member_id: string;
  name: string;
  token_hash: string;
  prefix: string; // first characters, shown in lists so members can tell tokens apart
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Failed logins and signups per account key, for the per-account limit across processes. */
export interface AuthAttemptTable {
  id: string;
  kind: 'login' | 'signup' | 'reset' | 'password';
  key_hash: string;
  at: string;
}

export interface PasswordResetTable {
  id: string;
  member_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** A requested email change, waiting for the link sent to the new address. */
export interface EmailChangeTable {
  id: string;
  member_id: string;
  new_email: string;
  token_hash: string; // sha256 of the link's token
  created_at: string;
  expires_at: string;
  used_at: string | null; // set when confirmed, or when a newer request or the account's deletion replaced it
}
