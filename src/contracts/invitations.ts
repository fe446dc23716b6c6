import { z } from 'zod';
import { Id } from './common.js';
import { NetworkMember } from './profiles.js';

/** Default from PRODUCT.md §2; the server enforces its configured INVITE_NOTE_MAX. */
export const NOTE_MAX = 300;

export const SendInvitationBody = z.strictObject({
  recipientId: Id,
  note: z.string().trim().max(NOTE_MAX, `A note has at most ${NOTE_MAX} characters.`).optional(),
  /** Required while the sender's invitations are restricted: the recipient's email address. */
  email: z.string().trim().max(254).optional(),
});

/**
 * What the sender sees. There is no `ignored`: an ignored invitation is `pending` to its sender,
 * and no field here changes when the recipient ignores it, says "I don't know", or reports it.
 */
export const SentInvitation = z
  .object({
    id: Id,
    direction: z.literal('sent'),
    recipient: NetworkMember,
    note: z.string().nullable(),
    status: z.enum(['pending', 'accepted', 'withdrawn', 'expired']),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .meta({ id: 'SentInvitation' });
export type SentInvitation = z.infer<typeof SentInvitation>;

export const ReceivedInvitation = z
  .object({
    id: Id,
    direction: z.literal('received'),
    sender: NetworkMember,
    note: z.string().nullable(),
    status: z.enum(['pending', 'ignored', 'accepted', 'withdrawn', 'expired']),
    folder: z.enum(['inbox', 'archived']).nullable(),
    idk: z.boolean(),
    spamReported: z.boolean(),
    conversationId: Id.nullable(),
    createdAt: z.string(),
    ignoredAt: z.string().nullable(),
    closedAt: z.string().nullable(),
  })
  .meta({ id: 'ReceivedInvitation' });
export type ReceivedInvitation = z.infer<typeof ReceivedInvitation>;

export const Invitation = z.discriminatedUnion('direction', [SentInvitation, ReceivedInvitation]);
export type Invitation = z.infer<typeof Invitation>;

export const SendResult = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('sent'), invitation: SentInvitation }),
  /** The recipient had already invited the sender: sending accepted that invitation. */
  z.object({ outcome: z.literal('connected'), memberId: Id, connectedAt: z.string() }),
]);
export type SendResult = z.infer<typeof SendResult>;

export const ReceivedQuery = z.strictObject({
  folder: z.enum(['inbox', 'archived']).default('inbox'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
});

export const SentQuery = z.strictObject({
  status: z.enum(['pending', 'accepted', 'withdrawn', 'expired']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
});

export const ReceivedPage = z.object({
  items: z.array(ReceivedInvitation),
  nextCursor: z.string().nullable(),
  counts: z.object({ inbox: z.number().int(), archived: z.number().int() }),
});
export const SentPage = z.object({
  items: z.array(SentInvitation),
  nextCursor: z.string().nullable(),
  counts: z.object({ pending: z.number().int() }),
});

/** Messages moved to messaging.ts; re-exported here for existing imports. */
export { MESSAGE_MAX, Message, MessageBody } from './messaging.js';

export const InvitationEvent = z
  .object({ id: Id, action: z.string(), actor: z.enum(['you', 'them', 'system']), at: z.string() })
  .meta({ id: 'InvitationEvent' });

export const Connection = z
  .object({ member: NetworkMember, connectedAt: z.string() })
  .meta({ id: 'Connection' });
export type Connection = z.infer<typeof Connection>;

export const ConnectionsQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  sort: z.enum(['recent', 'name']).default('recent'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
});
export const ConnectionsPage = z.object({
  items: z.array(Connection),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});

export const MemberIdParams = z.strictObject({ memberId: Id });


export const BlockBody = z.strictObject({ memberId: Id });
