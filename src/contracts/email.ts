import { z } from 'zod';

/**
 * Email categories. `account` (welcome, password reset, sign-up notices) is transactional: always
 * sent, no preference and no List-Unsubscribe header. The others can each be turned off.
 */
export const EMAIL_CATEGORIES = ['invitations', 'reminders', 'messages', 'account'] as const;
export type EmailCategory = (typeof EMAIL_CATEGORIES)[number];

export const OPTIONAL_CATEGORIES = ['invitations', 'reminders', 'messages'] as const;
export type OptionalCategory = (typeof OPTIONAL_CATEGORIES)[number];
export const isOptionalCategory = (c: string): c is OptionalCategory => (OPTIONAL_CATEGORIES as readonly string[]).includes(c);

export const EmailPreferences = z
  .object({
    invitations: z.boolean().describe('New invitations and accepted invitations'),
    reminders: z.boolean().describe('Reminders about invitations waiting in the inbox (a daily digest, at most two per invitation)'),
    messages: z.boolean().describe('Digests of new messages'),
  })
  .meta({ id: 'EmailPreferences' });
export type EmailPreferences = z.infer<typeof EmailPreferences>;

/** Inline, not a named component: the OpenAPI document shows a body's `additionalProperties: false` in place. */
export const EmailPreferencesUpdate = z.strictObject({
  invitations: z.boolean().optional(),
  reminders: z.boolean().optional(),
  messages: z.boolean().optional(),
});
export type EmailPreferencesUpdate = z.infer<typeof EmailPreferencesUpdate>;
