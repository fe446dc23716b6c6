import { AppError } from '../../errors.js';
import type { Role } from '../members/index.js';

/** Who is making a request: the member, and the credential that proved it. */
export interface Principal {
  memberId: string;
  role: Role;
  email: string;
  fullName: string;
  via: 'session' | 'token';
  session?: { id: string; csrfToken: string };
  /** The API token's id (its last-used time, its revocation). */
  tokenId?: string;
}

/**
 * Changing a credential needs the web app's session and the current password: an API token (a
 * script) may read the account but never take it over, as GitHub's tokens cannot change passwords.
 */
export function sessionOnly(p: Principal): { id: string } {
  if (!p.session) throw new AppError('Forbidden', 'Sign in to the web app to change your password, email or account; API tokens cannot.');
  return p.session;
}
