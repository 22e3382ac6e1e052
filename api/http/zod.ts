import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Once, before any schema is built: adds `.openapi()` to zod types for examples and parameter docs.
extendZodWithOpenApi(z);

export { z };

/** Shared building blocks of request and response schemas. */
export const uuid = () => z.uuid();
export const isoDateTime = () => z.iso.datetime({ offset: true });
export const idParams = z.strictObject({ id: z.uuid() });

/** `limit` and `cursor` of every list endpoint. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'Page size (1-100).' }),
  cursor: z.string().max(500).optional().openapi({ description: 'Opaque cursor from `nextCursor`.' }),
};

/** The list envelope of API.md: `{ data, nextCursor }`. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });
