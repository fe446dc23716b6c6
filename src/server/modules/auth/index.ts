/**
 * auth/: the public interface (docs/architecture.md). Sessions, API tokens, login attempts,
 * password resets and email changes are declared and written only in this folder; a member's
 * email, password hash and role live in the members table, which auth/ changes through
 * members/index.ts (`updateAccount`).
 */
export { AuthService } from './auth.service.js';
export { AccountService } from './account.service.js';
export { PasswordHasher } from './password.js';
export { availableDemoLogin, DEMO_LOGIN, recordDemoLogin } from './demo-login.js';
export { sessionOnly, type Principal } from './principal.js';
export type { AccountEmail, AccountMailer } from './auth.emails.js';
