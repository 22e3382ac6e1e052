import { pageQuery, z } from '../http/zod';
import { tagList } from './schema';

export const questionInput = z.strictObject({
  title: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(50_000).openapi({ description: 'Markdown.' }),
  tags: tagList.optional(),
});
export const answerInput = z.strictObject({ body: z.string().trim().min(1).max(50_000) });

export const questionPatch = z
  .strictObject({
    title: questionInput.shape.title.optional(),
    body: questionInput.shape.body.optional(),
    tags: tagList.optional().openapi({ description: 'Replaces the tags; `[]` removes them all.' }),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'give at least one field to change');
export const answerPatch = answerInput;
export const voteInput = z.strictObject({
  value: z.union([z.literal(1), z.literal(-1)]).openapi({ description: '+1 or -1; voting again replaces your vote.' }),
});

export const questionsQuery = z.strictObject({
  ...pageQuery,
  tag: z.string().trim().min(1).max(50).optional(),
  answered: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true'))
    .openapi({ description: 'true: with an accepted answer; false: without one.' }),
  authorId: z.uuid().optional(),
});

const myVote = z
  .union([z.literal(1), z.literal(-1)])
  .nullable()
  .openapi({ description: "The caller's vote, or null." });

export const answer = z
  .object({
    id: z.uuid(),
    questionId: z.uuid(),
    body: z.string(),
    authorId: z.uuid(),
    score: z.number().int(),
    accepted: z.boolean(),
    myVote,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Answer' });

export const questionSummary = z
  .object({
    id: z.uuid(),
    title: z.string(),
    body: z.string(),
    tags: z.array(z.string()),
    authorId: z.uuid(),
    acceptedAnswerId: z.uuid().nullable(),
    score: z.number().int(),
    answerCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'QuestionSummary' });

export const question = questionSummary
  .extend({
    myVote,
    answers: z.array(answer).openapi({ description: 'The accepted answer first, then by score, then oldest first.' }),
  })
  .meta({ id: 'Question' });

export const voteResult = z
  .object({ id: z.uuid(), score: z.number().int(), myVote: z.union([z.literal(1), z.literal(-1)]) })
  .meta({ id: 'VoteResult' });
