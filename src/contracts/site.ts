/** What the web app needs to know about this server before anyone logs in (GET /api/site). */
import { z } from 'zod';
import { ReceivedInvitation } from './invitations.js';
import { Conversation } from './messaging.js';
import { Suggestion } from './profiles.js';

export const Site = z
  .object({
    mode: z.enum(['development', 'production', 'test']),
    /** Emails are kept for the local viewer at /dev/mail, and this is not production: link to it. */
    mailViewer: z.boolean(),
    /** The demo account's login, while the seeded demo account exists with its seeded password. */
    demoLogin: z.object({ email: z.string(), password: z.string() }).nullable(),
  })
  .meta({ id: 'Site' });
export type Site = z.infer<typeof Site>;

/** The member's Home page in one answer: what needs their attention, each list short. */
export const Home = z
  .object({
    invitations: z.object({ waiting: z.number().int().min(0), latest: z.array(ReceivedInvitation) }),
    messages: z.object({ unreadConversations: z.number().int().min(0), latest: z.array(Conversation) }),
    notifications: z.object({ unread: z.number().int().min(0) }),
    suggestions: z.array(Suggestion),
  })
  .meta({ id: 'Home' });
export type Home = z.infer<typeof Home>;
