/**
 * The response serializer of GET /members/:id, the hottest read: the same bytes and the same output
 * validation as the zod serializer (fastify-type-provider-zod encodes the whole MemberProfile with
 * zod on every response), at a fraction of the cost.
 *
 * MemberProfile is Profile plus a per-viewer part (relationship, degree, mutual count, mutuals) with
 * no rule that spans both, so encoding each part and joining them equals encoding the whole, key
 * order included. The Profile and each mutual's MemberSummary are cached, frozen objects
 * (MemberService): each is encoded once and its JSON kept beside it in a WeakMap. Per response only
 * the relationship is encoded; the degree and the count are checked against their schemas.
 * Anything else (another status, a body not built by `profileResponse`, a failing encode) goes to
 * the zod serializer, which also raises the usual error.
 */
import type { FastifySerializerCompiler } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Degree, MemberProfile, MemberSummary, Profile, Relationship } from '../../../contracts/profiles.js';

type ViewerPart = Pick<MemberProfile, 'relationship' | 'degree' | 'mutualCount' | 'mutuals'>;
const MutualCount = MemberProfile.shape.mutualCount;

/** Response bodies built here → the parts they were built from. */
const builtFrom = new WeakMap<object, { profile: Profile; viewerPart: ViewerPart }>();
/** Cached object → its validated JSON (a Profile's without the closing brace), or null when it fails. */
const json = new WeakMap<object, string | null>();

/** The response body of a member's profile as a viewer sees it. */
export function profileResponse(profile: Profile, viewerPart: ViewerPart): MemberProfile {
  const body: MemberProfile = { ...profile, ...viewerPart };
  builtFrom.set(body, { profile, viewerPart });
  return body;
}

export const profileSerializerCompiler: FastifySerializerCompiler<unknown> = (route) => {
  const { schema } = route;
  if (!(schema instanceof z.ZodType)) throw new Error(`${route.method} ${route.url}: a response schema is not a zod schema`);
  const fallback = serializerCompiler({ ...route, schema });
  if (String(route.httpStatus) !== '200') return fallback;
  return (data: unknown) => {
    const parts = typeof data === 'object' && data !== null ? builtFrom.get(data) : undefined;
    const body = parts && serialize(parts.profile, parts.viewerPart);
    return body ?? fallback(data);
  };
};

function serialize(profile: Profile, v: ViewerPart): string | undefined {
  const head = encoded(profile, Profile, (s) => s.slice(0, -1));
  const relationship = Relationship.safeParse(v.relationship); // no codecs: parse and encode agree, and parse is ten times faster
  if (head === null || !relationship.success || !Degree.safeParse(v.degree).success || !MutualCount.safeParse(v.mutualCount).success) return undefined;
  const mutuals: string[] = [];
  for (const m of v.mutuals) {
    const one = encoded(m, MemberSummary, (s) => s);
    if (one === null) return undefined;
    mutuals.push(one);
  }
  return `${head},"relationship":${JSON.stringify(relationship.data)},"degree":"${v.degree}","mutualCount":${v.mutualCount},"mutuals":[${mutuals.join(',')}]}`;
}

function encoded<T extends object>(value: T, schema: z.ZodType<unknown, T>, shape: (s: string) => string): string | null {
  let s = json.get(value);
  if (s === undefined) {
    const result = schema.safeEncode(value);
    s = result.success ? shape(JSON.stringify(result.data)) : null;
    json.set(value, s);
  }
  return s;
}
