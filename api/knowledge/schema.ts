import { storedFileFields } from '../http/upload';
import { DOCUMENT_STATUSES, DOCUMENT_TYPES } from '../../domain/knowledge';
import { isoDateTime, pageQuery, z } from '../http/zod';

/** Documents are written in this language unless the author says otherwise (the organisation works in it). */
export const DEFAULT_LANGUAGE = 'zh-TW';

export const tagList = z
  .array(z.string().trim().min(1).max(50))
  .max(20)
  .openapi({ description: 'Stored lower-case, duplicates dropped.', example: ['printer', '網路'] });
const lines = (max: number, description: string) =>
  z.array(z.string().trim().min(1).max(max)).max(100).openapi({ description });

/** The content fields of a document, all optional: `PATCH` changes what it names; `POST` adds the required ones. */
const contentFields = {
  title: z.string().trim().min(1).max(300),
  body: z.string().min(1).max(200_000).openapi({ description: 'Markdown.' }),
  summary: z.string().trim().max(1000),
  categoryId: z.uuid().nullable(),
  tags: tagList,
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as zh-TW or en')
    .openapi({ description: `BCP 47 tag; \`${DEFAULT_LANGUAGE}\` by default.`, example: 'zh-TW' }),
  symptoms: lines(2000, 'Guides only: what the reader observes.'),
  errorCodes: z
    .array(z.string().trim().min(1).max(100))
    .max(50)
    .openapi({ description: 'Guides only: error codes this guide resolves; matched case-insensitively.' }),
  causes: lines(2000, 'Guides only: likely causes.'),
  steps: lines(10_000, 'Guides only: the steps to resolve it, in order (Markdown each).'),
};

export const createDocument = z.strictObject({
  type: z.enum(DOCUMENT_TYPES),
  title: contentFields.title,
  body: contentFields.body,
  summary: contentFields.summary.optional(),
  categoryId: contentFields.categoryId.optional(),
  tags: contentFields.tags.optional(),
  language: contentFields.language.default(DEFAULT_LANGUAGE),
  symptoms: contentFields.symptoms.optional(),
  errorCodes: contentFields.errorCodes.optional(),
  causes: contentFields.causes.optional(),
  steps: contentFields.steps.optional(),
});

export const updateDocument = z
  .strictObject({
    ...Object.fromEntries(Object.entries(contentFields).map(([k, v]) => [k, v.optional()])),
    baseVersion: z
      .number()
      .int()
      .min(1)
      .optional()
      .openapi({ description: 'The version the edit started from; 409 if someone saved a newer one since.' }),
  } as { [K in keyof typeof contentFields]: z.ZodOptional<(typeof contentFields)[K]> } & {
    baseVersion: z.ZodOptional<z.ZodNumber>;
  })
  .refine((v) => Object.keys(v).some((k) => k !== 'baseVersion'), 'give at least one field to change');

export const listDocumentsQuery = z.strictObject({
  ...pageQuery,
  type: z.enum(DOCUMENT_TYPES).optional(),
  status: z.enum(DOCUMENT_STATUSES).optional(),
  categoryId: z.uuid().optional().openapi({ description: 'This category and the ones below it.' }),
  tag: z.string().trim().min(1).max(50).optional(),
  authorId: z.uuid().optional(),
});

export const guidesQuery = z.strictObject({
  ...pageQuery,
  errorCode: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: 'Exact code, case-insensitive.', example: '0x80070005' }),
});

export const publishInput = z.strictObject({
  reviewAt: isoDateTime()
    .optional()
    .openapi({ description: 'When the content is due for review; six months from now by default.' }),
});
export const reviewInput = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().trim().max(5000).optional().openapi({ description: 'What to fix, after a rejection.' }),
  reviewAt: isoDateTime()
    .optional()
    .openapi({ description: 'On approval, when the author asked for no date: six months from now by default.' }),
});
export const revertInput = z.strictObject({ version: z.number().int().min(1) });
export const versionParams = z.strictObject({ id: z.uuid(), n: z.coerce.number().int().min(1).max(1_000_000) });
export const versionsQuery = z.strictObject({ ...pageQuery });

export const feedbackInput = z.strictObject({
  helpful: z.boolean(),
  comment: z.string().trim().max(5000).optional(),
});

const feedbackCounts = z.object({ helpful: z.number().int(), notHelpful: z.number().int() });
const guideFields = {
  symptoms: z.array(z.string()).optional(),
  errorCodes: z.array(z.string()).optional(),
  causes: z.array(z.string()).optional(),
  steps: z.array(z.string()).optional(),
};

export const documentSummary = z
  .object({
    id: z.uuid(),
    type: z.enum(DOCUMENT_TYPES),
    status: z.enum(DOCUMENT_STATUSES),
    version: z.number().int(),
    title: z.string(),
    summary: z.string(),
    categoryId: z.uuid().nullable(),
    tags: z.array(z.string()),
    language: z.string(),
    errorCodes: z.array(z.string()).optional().openapi({ description: 'Guides only.' }),
    authorId: z.uuid(),
    views: z.number().int(),
    publishedAt: z.string().nullable(),
    reviewAt: z.string().nullable(),
    reviewRemindedAt: z
      .string()
      .nullable()
      .openapi({ description: 'When the owner was reminded that the review date came.' }),
    submittedAt: z.string().nullable().openapi({ description: 'The last submission for review.' }),
    reviewedAt: z.string().nullable(),
    reviewedBy: z.uuid().nullable(),
    reviewComment: z.string().nullable().openapi({ description: "The last reviewer's comment." }),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'KnowledgeDocumentSummary' });

export const document = documentSummary
  .extend({
    body: z.string(),
    ...guideFields,
    feedback: feedbackCounts,
    myFeedback: z.object({ helpful: z.boolean(), comment: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'KnowledgeDocument', description: 'Guide fields are present on guides only.' });

export const versionSummary = z
  .object({
    version: z.number().int(),
    title: z.string(),
    authorId: z.uuid().nullable(),
    revertedFrom: z.number().int().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'DocumentVersionSummary' });

export const documentVersion = versionSummary
  .extend({
    documentId: z.uuid(),
    body: z.string(),
    summary: z.string(),
    categoryId: z.uuid().nullable(),
    tags: z.array(z.string()),
    language: z.string(),
    ...guideFields,
  })
  .meta({ id: 'DocumentVersion' });

export const feedback = z
  .object({
    documentId: z.uuid(),
    userId: z.uuid(),
    helpful: z.boolean(),
    comment: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'DocumentFeedback' });

export const feedbackQuery = z.strictObject({
  ...pageQuery,
  helpful: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true'))
    .openapi({ description: 'true: only the verdicts that it helped; false: only those that it did not.' }),
});
export const feedbackEntry = z
  .object({
    id: z.uuid(),
    helpful: z.boolean(),
    comment: z.string().nullable(),
    userId: z.uuid(),
    createdAt: z.string(),
    updatedAt: z.string().openapi({ description: 'Later than `createdAt` when the reader changed their verdict.' }),
  })
  .meta({ id: 'DocumentFeedbackEntry' });

export const documentAttachment = z
  .object({
    id: z.uuid(),
    documentId: z.uuid(),
    ...storedFileFields,
  })
  .meta({ id: 'DocumentAttachment' });
export const attachmentParams = z.strictObject({ id: z.uuid(), attachmentId: z.uuid() });

const categoryName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((n) => !n.includes('/'), 'must not contain "/"');
export const categoryInput = z.strictObject({
  name: categoryName,
  parentId: z.uuid().nullish(),
});
export const categoryPatch = z
  .strictObject({
    name: categoryName.optional().openapi({ description: 'The new name; unique among its (new) siblings.' }),
    parentId: z
      .uuid()
      .nullable()
      .optional()
      .openapi({ description: 'The new parent; `null` makes it a top-level category. Its subcategories move along.' }),
  })
  .refine((v) => v.name !== undefined || v.parentId !== undefined, 'give `name`, `parentId` or both');
export const category = z
  .object({
    id: z.uuid(),
    name: z.string(),
    parentId: z.uuid().nullable(),
    path: z.array(z.string()).openapi({ description: 'Names from the root down to this category.' }),
    depth: z.number().int().openapi({ description: '0 for a root.' }),
    createdAt: z.string(),
  })
  .meta({ id: 'KnowledgeCategory' });
export const categoriesQuery = z.strictObject({
  ...pageQuery,
  parentId: z.uuid().optional().openapi({ description: 'Only the direct children of this category.' }),
});

export const tagsQuery = z.strictObject({
  ...pageQuery,
  prefix: z.string().trim().min(1).max(50).optional(),
});
export const tagCount = z
  .object({ name: z.string(), count: z.number().int().openapi({ description: 'Documents carrying the tag.' }) })
  .meta({ id: 'TagCount' });
