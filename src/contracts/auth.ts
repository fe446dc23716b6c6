import { z } from 'zod';
import { Id } from './common.js';

export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const Password = z
  .string()
  .min(10, 'Use at least 10 characters.')
  .max(200, 'Use at most 200 characters.');
const FullName = z.string().trim().min(1, 'Enter your name.').max(100);

export const SignupBody = z.strictObject({ email: Email, password: Password, fullName: FullName });
export const SignupResult = z.object({ status: z.literal('accepted'), message: z.string() });

export const LoginBody = z.strictObject({ email: Email, password: z.string().min(1).max(200) });

export const Role = z.enum(['member', 'admin']);

export const Me = z
  .object({
    id: Id,
    email: z.string(),
    role: Role,
    fullName: z.string(),
    /** Present for cookie sessions: send it back as `x-csrf-token` on unsafe requests. */
    csrfToken: z.string().nullable(),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

export const SessionInfo = z.object({ member: Me.nullable() }).meta({ id: 'SessionInfo' });

export const PasswordResetBody = z.strictObject({ email: Email });
export const PasswordResetConfirmBody = z.strictObject({ token: z.string().min(1).max(200), password: Password });

export const ApiToken = z
  .object({
    id: Id,
    name: z.string(),
    prefix: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof ApiToken>;

export const ApiTokenCreateBody = z.strictObject({ name: z.string().trim().min(1).max(60) });
/** The secret is shown once, at creation; only its hash is kept. */
export const ApiTokenCreated = z.object({ token: ApiToken, secret: z.string() });
