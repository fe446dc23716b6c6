/**
 * The response serializer of GET /members/:id, the hottest read: the same bytes and the same output
 * validation as the zod serializer (fastify-type-provider-zod encodes the whole MemberProfile with
 * zod on every response), at a fraction of the cost.
 *
 * MemberProfile is Profile plus a per-viewer part (relationship, degree, mutuals) with no rule that
 * spans both, so encoding each half and joining them equals encoding the whole, key order included.
 * The Profile half is one cached, frozen object per member (MemberService): it is encoded once per
 * object and the result kept beside it; only the small per-viewer half is encoded per response.
 * Anything else (another status, a body not built by `profileResponse`, a failing encode) goes to
 * the zod serializer, which also raises the usual error.
 */
import type { FastifySerializerCompiler } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MemberProfile, Profile } from '../../../contracts/profiles.js';

const ViewerPart = MemberProfile.pick({ relationship: true, degree: true, mutualCount: true, mutuals: true });
type ViewerPart = z.output<typeof ViewerPart>;

/** Response bodies built here → the parts they were built from. */
const builtFrom = new WeakMap<object, { profile: Profile; viewerPart: ViewerPart }>();
/** Cached profile → its zod encoding (validated output). */
const encoded = new WeakMap<Profile, z.input<typeof Profile>>();

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
    if (!parts) return fallback(data);
    let head = encoded.get(parts.profile);
    if (!head) {
      const result = Profile.safeEncode(parts.profile);
      if (!result.success) return fallback(data);
      head = result.data;
      encoded.set(parts.profile, head);
    }
    const tail = ViewerPart.safeEncode(parts.viewerPart);
    if (!tail.success) return fallback(data);
    return JSON.stringify({ ...head, ...tail.data });
  };
};
