import { pageQuery, z } from '../http/zod';

export const SEARCH_TYPES = ['article', 'guide', 'question'] as const;

export const searchQuery = z.strictObject({
  q: z.string().max(1000).optional().openapi({
    description:
      'Words to find, in Chinese (Traditional or Simplified) or English. Plain text: quotes, parentheses, `AND`, `*` have no special meaning. Longer than 500 characters is cut. Without `q`, everything matching the filters, newest first.',
    example: '印表機無法連線',
  }),
  type: z.enum(SEARCH_TYPES).optional(),
  categoryId: z.uuid().optional().openapi({ description: 'This category and the ones below it.' }),
  tag: z.string().trim().min(1).max(50).optional(),
  ...pageQuery,
});

export const suggestionsQuery = z.strictObject({
  text: z.string().trim().min(1).max(20_000).openapi({
    description: 'The ticket being written: its title and description.',
    example: '會議室的印表機無法連線',
  }),
  category: z.string().trim().min(1).max(100).optional().openapi({ description: "The ticket's category." }),
  limit: z.coerce.number().int().min(1).max(20).default(5).openapi({ description: 'How many (1-20).' }),
});

export const reindexInput = z.strictObject({
  batchSize: z.number().int().min(10).max(1000).optional().openapi({ description: 'Rows per bulk request (200).' }),
});
export const reindexParams = z.strictObject({ id: z.string().min(1).max(200) });

const html = (description: string) => z.string().openapi({ description });

export const searchHit = z.object({
  id: z.uuid(),
  type: z.enum(SEARCH_TYPES),
  title: z.string(),
  snippet: html(
    'HTML-safe excerpt: text is escaped and matched terms are wrapped in `<em>`; the summary when nothing matched.',
  ),
  highlight: z.record(z.string(), z.array(z.string())).openapi({
    description: 'Matched fragments per field (`title`, `body`, `answers`, ...), HTML-escaped with `<em>`.',
  }),
  score: z.number().nullable().openapi({ description: 'Relevance; null when listing without `q`.' }),
  summary: z.string(),
  categoryId: z.uuid().nullable(),
  tags: z.array(z.string()),
  errorCodes: z.array(z.string()).optional().openapi({ description: 'Guides only.' }),
  publishedAt: z.string().nullable(),
});

const bucket = z.object({ value: z.string(), count: z.number().int() });

export const searchResult = z.object({
  data: z.array(searchHit),
  total: z.number().int(),
  facets: z.object({
    type: z.array(bucket),
    category: z.array(bucket.extend({ name: z.string().nullable(), path: z.array(z.string()) })),
    tags: z.array(bucket),
  }),
  nextCursor: z.string().nullable(),
});

export const suggestion = z.object({
  id: z.uuid(),
  type: z.enum(['article', 'guide']),
  title: z.string(),
  summary: z.string(),
  score: z.number(),
  errorCodes: z.array(z.string()).optional(),
});
export const suggestionList = z.object({ data: z.array(suggestion), nextCursor: z.null() });

export const reindexStarted = z.object({ workflowId: z.string(), runId: z.string() });
export const reindexStatus = z.object({
  workflowId: z.string(),
  runId: z.string(),
  status: z.string().openapi({ description: 'Temporal execution status: RUNNING, COMPLETED, FAILED, ...' }),
  progress: z
    .object({
      phase: z.enum(['creating', 'indexing', 'swapping', 'cleaning', 'done']),
      targetIndex: z.string().nullable(),
      total: z.number().int(),
      indexed: z.number().int(),
      batches: z.number().int(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      removedIndices: z.array(z.string()),
    })
    .nullable()
    .openapi({ description: 'From the `reindexProgress` query; null when no worker answered.' }),
});
