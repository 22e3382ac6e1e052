import { idParams } from '../http/zod';
import type { RouteBuilder } from '../http/route';
import { presentAnswer, presentQuestion } from './presenter';
import { answer, answerPatch, question, questionPatch } from './qa-schema';
import type { QaService } from './qa-service';

/**
 * Editing and deleting questions and answers: their authors, and knowledge editors and admins as moderators.
 * Everyone signed in sees Q&A, so a caller who may not change a post is told 403, not 404.
 */
export function qaEditRoutes(routes: RouteBuilder, qa: QaService): void {
  const noQuestion = { 404: { description: 'No such question.' } };
  const noAnswer = { 404: { description: 'No such answer.' } };
  routes
    .route({
      method: 'patch',
      path: '/questions/:id',
      tags: ['Q&A'],
      summary: 'Edit a question',
      description: 'The asker, knowledge editors and admins edit. Fields left out keep their value.',
      params: idParams,
      body: questionPatch,
      responses: {
        200: { description: 'The question as edited.', schema: question },
        403: { description: 'Neither the asker nor a knowledge editor or admin.' },
        ...noQuestion,
      },
      handler: async (ctx, { params, body }) => {
        ctx.body = presentQuestion(await qa.editQuestion(ctx.state.user, params.id, body));
      },
    })
    .route({
      method: 'delete',
      path: '/questions/:id',
      tags: ['Q&A'],
      summary: 'Delete a question with its answers and votes',
      description:
        'For good: the question, its answers and all their votes are removed, and it leaves search within seconds. The asker deletes while nobody else has answered (409 after); knowledge editors and admins always may.',
      params: idParams,
      responses: {
        204: { description: 'Deleted.' },
        403: { description: 'Neither the asker nor a knowledge editor or admin.' },
        409: { description: 'The asker, but others have answered.' },
        ...noQuestion,
      },
      handler: async (ctx, { params }) => {
        await qa.deleteQuestion(ctx.state.user, params.id);
        ctx.status = 204;
      },
    })
    .route({
      method: 'patch',
      path: '/answers/:id',
      tags: ['Q&A'],
      summary: 'Edit an answer',
      description: 'Its author, knowledge editors and admins edit.',
      params: idParams,
      body: answerPatch,
      responses: {
        200: { description: 'The answer as edited.', schema: answer },
        403: { description: 'Neither its author nor a knowledge editor or admin.' },
        ...noAnswer,
      },
      handler: async (ctx, { params, body }) => {
        const { view, acceptedAnswerId } = await qa.editAnswer(ctx.state.user, params.id, body.body);
        ctx.body = presentAnswer(view, acceptedAnswerId);
      },
    })
    .route({
      method: 'delete',
      path: '/answers/:id',
      tags: ['Q&A'],
      summary: 'Delete an answer with its votes',
      description:
        'For good. When it was the accepted answer, the question has no accepted answer any more. Its author, knowledge editors and admins delete.',
      params: idParams,
      responses: {
        204: { description: 'Deleted.' },
        403: { description: 'Neither its author nor a knowledge editor or admin.' },
        ...noAnswer,
      },
      handler: async (ctx, { params }) => {
        await qa.deleteAnswer(ctx.state.user, params.id);
        ctx.status = 204;
      },
    });
}
