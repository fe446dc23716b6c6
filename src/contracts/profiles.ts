import { z } from 'zod';
import { Id } from './common.js';

const year = z.number().int().min(1900).max(2100);
const text = (max: number) => z.string().trim().max(max);

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const endAfterStart = (v: { startYear: number; endYear: number | null }) => v.endYear === null || v.endYear >= v.startYear;
const endMessage = { message: 'The end year must not be before the start year.', path: ['endYear'] };

export const Position = z
  .strictObject({ title: text(100).min(1), company: text(100).min(1), startYear: year, endYear: year.nullable() })
  .refine(endAfterStart, endMessage);
export type Position = z.infer<typeof Position>;

export const Education = z
  .strictObject({
    school: text(120).min(1),
    degree: text(100),
    field: text(100),
    startYear: year,
    endYear: year.nullable(),
  })
  .refine(endAfterStart, endMessage);
export type Education = z.infer<typeof Education>;

const editable = {
  fullName: text(100).min(1, 'Enter your name.'),
  headline: text(220),
  currentTitle: text(100),
  currentCompany: text(100),
  industry: text(100),
  location: text(100),
  timeZone: z.string().max(64).refine(isTimeZone, 'Use an IANA time zone such as Europe/Paris.'),
  about: text(2600),
  skills: z.array(text(50).min(1)).max(50),
  positions: z.array(Position).max(30),
  educations: z.array(Education).max(20),
};

/** Fields a member may change; send any subset. */
export const ProfileUpdate = z.strictObject(editable).partial();
export type ProfileUpdate = z.infer<typeof ProfileUpdate>;

export const Profile = z
  .object({
    id: Id,
    fullName: z.string(),
    headline: z.string(),
    currentTitle: z.string(),
    currentCompany: z.string(),
    industry: z.string(),
    location: z.string(),
    timeZone: z.string(),
    about: z.string(),
    skills: z.array(z.string()),
    positions: z.array(Position),
    educations: z.array(Education),
  })
  .meta({ id: 'Profile' });
export type Profile = z.infer<typeof Profile>;

export const MemberSummary = z
  .object({ id: Id, fullName: z.string(), headline: z.string(), location: z.string() })
  .meta({ id: 'MemberSummary' });
export type MemberSummary = z.infer<typeof MemberSummary>;

/** How far a member is from the viewer: 1st (connected), 2nd, 3rd, or further (out of network). */
export const Degree = z.enum(['self', '1st', '2nd', '3rd', 'out_of_network']).meta({ id: 'Degree' });
export type Degree = z.infer<typeof Degree>;

/** A member as shown to a viewer in lists: with the degree badge and the mutual-connection count. */
export const NetworkMember = MemberSummary.extend({ degree: Degree, mutualCount: z.number().int().min(0) }).meta({ id: 'NetworkMember' });
export type NetworkMember = z.infer<typeof NetworkMember>;

/** GET /api/members/{id}/mutuals: every mutual connection, best-connected first, with the total. */
export const MutualsPage = z
  .object({ items: z.array(NetworkMember), nextCursor: z.string().nullable(), total: z.number().int().min(0) })
  .meta({ id: 'MutualsPage' });
export const Suggestion = z.object({ member: NetworkMember, reason: z.string() }).meta({ id: 'Suggestion' });
export const SuggestionsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(50).default(12) });
export const Suggestions = z.object({ items: z.array(Suggestion) }).meta({ id: 'Suggestions' });

export const MemberSearchQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
});

/** The viewer's relationship to a member. An ignored invitation reads as `invitation_sent` to its sender. */
export const Relationship = z
  .object({
    status: z.enum(['self', 'connected', 'invitation_sent', 'invitation_received', 'none']),
    invitationId: Id.nullable(),
    connectedAt: z.string().nullable(),
  })
  .meta({ id: 'Relationship' });
export type Relationship = z.infer<typeof Relationship>;

export const MemberProfile = Profile.extend({
  relationship: Relationship,
  degree: Degree,
  mutualCount: z.number().int().min(0),
  /** The best-connected mutual connections, at most 3, for "Ada, Grace and 10 other mutual connections". */
  mutuals: z.array(MemberSummary),
}).meta({ id: 'MemberProfile' });
export type MemberProfile = z.infer<typeof MemberProfile>;
