export interface SessionTable {
  id: string;
  member_id: string;
  token_hash: string; // sha256 of the cookie token; the token itself is never stored
  csrf_token: string;
  created_at: string;
  expires_at: string;
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
  kind: 'login' | 'signup' | 'reset';
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
