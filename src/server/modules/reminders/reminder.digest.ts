/** What the reminder steps and the day's digest job share. */
import { z } from 'zod';

export const digestJobName = 'reminders.digest';
export const DigestPayload = z.object({ recipientId: z.string(), day: z.string() });
