import { z } from 'zod';

export const Id = z.string().uuid();

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
});

/** Keyset pagination: `nextCursor` is opaque; null means this was the last page. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const IdParams = z.strictObject({ id: Id });
