import { z } from 'zod';
import { Id } from './common.js';

export const Level = z.enum(['none', 'warned', 'restricted', 'suspended']);

/**
 * A count as the sender sees it (docs/safety.md): "none", "few" ("a few") or "several". The IDK band
 * is "none" below 2 and "several" from the restriction threshold; the upheld-reports band is "few"
 * from 1 and "several" from its restriction threshold.
 */
export const Band = z.enum(['none', 'few', 'several']).meta({ id: 'Band' });

/**
 * The sender's account health: totals only, never a recipient. Level, reasons, lift date and the
 * bands are as of the last scheduled evaluation (`evaluation.lastAt`), never updated by an answer.
 */
export const AccountHealth = z
  .object({
    level: Level,
    reasons: z.array(z.string()),
    since: z.string(),
    liftsAt: z.string().nullable(),
    acknowledged: z.boolean(),
    weekly: z.object({ limit: z.number().int(), used: z.number().int() }),
    /** When the ladder last looked at this account (null: not yet), and how often it looks. */
    evaluation: z.object({ lastAt: z.string().nullable(), everyMinutes: z.number().int() }),
    /** A new account has a lower weekly limit instead of a restriction for invitations beyond its network. */
    newcomer: z.object({ until: z.string(), weeklyLimit: z.number().int() }).nullable(),
    counters: z.object({
      windowDays: z.number().int(),
      /** People who said "I don't know you", as a band: "none" covers 0 and 1, so no single recipient can be inferred. */
      idkRecipients: Band,
      spamReportsUpheld: Band,
      invitationsSent: z.number().int(),
      acceptanceRate: z.number().nullable(),
      outstandingShare: z.number().nullable(),
      /** Invitations in the last 7 days to people with no tie to you, not accepted (docs/safety.md); your own sends only. */
      beyondNetworkThisWeek: z.number().int(),
    }),
    thresholds: z.object({
      warnIdk: z.number(),
      restrictIdk: z.number(),
      restrictSpamUpheld: z.number(),
      restrictBeyondNetwork: z.number(),
      warnAcceptancePercent: z.number(),
    }),
    enforcement: z
      .object({
        id: Id,
        level: Level,
        reason: z.string(),
        createdAt: z.string(),
        appeal: z.object({ status: z.enum(['open', 'accepted', 'rejected']), note: z.string().nullable() }).nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'AccountHealth' });

export const AppealBody = z.strictObject({ enforcementId: Id, message: z.string().trim().min(1, 'Tell us why.').max(2000) });
export const AppealCreated = z.object({ id: Id, status: z.literal('open'), createdAt: z.string() });

const Person = z.object({ id: Id, fullName: z.string() });

export const SpamReportItem = z.object({
  id: Id,
  status: z.enum(['open', 'upheld', 'dismissed']),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  note: z.string().nullable(),
  sender: Person,
  reporter: Person,
});
export const EnforcementItem = z.object({ id: Id, from: Level, to: Level, reason: z.string(), source: z.enum(['auto', 'admin']), createdAt: z.string(), member: Person });
export const AppealItem = z.object({
  id: Id,
  status: z.enum(['open', 'accepted', 'rejected']),
  message: z.string(),
  decisionNote: z.string().nullable(),
  createdAt: z.string(),
  enforcement: z.object({ level: Level, reason: z.string() }),
  member: Person,
});
export const AuditItem = z.object({
  id: Id,
  actorId: Id.nullable(),
  /** The admin's name; null for an automatic action. */
  actorName: z.string().nullable(),
  action: z.string(),
  subjectId: Id.nullable(),
  subjectName: z.string().nullable(),
  reason: z.string(),
  details: z.record(z.string(), z.unknown()),
  at: z.string(),
});
export const MemberLookupItem = z.object({
  id: Id,
  email: z.string(),
  fullName: z.string(),
  role: z.enum(['member', 'admin']),
  createdAt: z.string(),
  level: Level,
  reason: z.string().nullable(),
  suspendedUntil: z.string().nullable(),
});
/** Live signals, for admins only: what the next scheduled evaluation will judge. */
export const SignalsView = z.object({
  idkRecipients: z.number(),
  spamUpheld: z.number(),
  beyondNetwork: z.number(),
  newcomer: z.boolean(),
  beyondJudged: z.object({ sent: z.number(), accepted: z.number() }),
  sample: z.number(),
  accepted: z.number(),
  newSinceLevel: z.number(),
  lastSignalAt: z.number().nullable(),
});
export const MemberModeration = z.object({
  member: z.object({ id: Id, email: z.string(), fullName: z.string(), role: z.enum(['member', 'admin']) }),
  level: Level,
  reason: z.string(),
  suspendedUntil: z.string().nullable(),
  /** The level and reason above are as of this evaluation (null: never evaluated). */
  evaluatedAt: z.string().nullable(),
  /** The level the next scheduled evaluation would set on the live signals. */
  nextLevel: Level,
  signals: SignalsView,
  history: z.array(z.object({ id: Id, from: Level, to: Level, reason: z.string(), source: z.enum(['auto', 'admin']), createdAt: z.string() })),
});

export const DecisionBody = z.strictObject({ reason: z.string().trim().min(1, 'Give a reason.').max(1000) });
export const LevelBody = z.strictObject({
  reason: z.string().trim().min(1, 'Give a reason.').max(1000),
  days: z.number().int().min(1).max(365).optional(),
});
export const AppealDecisionBody = z.strictObject({ note: z.string().trim().min(1, 'Write a note the member will see.').max(1000) });
export const ReportStatusQuery = z.strictObject({
  status: z.enum(['open', 'upheld', 'dismissed']).default('open'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
});
export const AppealStatusQuery = z.strictObject({
  status: z.enum(['open', 'accepted', 'rejected']).default('open'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
});
export const EnforcementQuery = z.strictObject({
  source: z.enum(['auto', 'admin']).default('auto'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
});
export const DecisionResult = z.object({ id: Id, status: z.string() });
export const LevelResult = z.object({ memberId: Id, level: Level, reason: z.string(), suspendedUntil: z.string().nullable(), signals: SignalsView });
