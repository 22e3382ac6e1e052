import { idParams, page } from '../http/zod';
import type { RouteBuilder } from '../http/route';
import { presentAnswer, presentQuestion, presentQuestionSummary } from './presenter';
import {
  answer,
  answerInput,
  question,
  questionInput,
  questionSummary,
  questionsQuery,
  voteInput,
  voteResult,
} from './qa-schema';
import { qaEditRoutes } from './qa-edit-routes';
import type { QaService } from './qa-service';

/**
 * Q&A: everyone signed in asks, answers and votes; the asker accepts an answer. Editing and deleting posts
 * are in `qa-edit-routes.ts`.
 */
export function qaRoutes(routes: RouteBuilder, qa: QaService): void {
  const noQuestion = { 404: { description: 'No such question.' } };
  const noAnswer = { 404: { description: 'No such answer.' } };
  routes
    .route({
      method: 'post',
      path: '/questions',
      tags: ['Q&A'],
      summary: 'Ask a question',
      body: questionInput,
      responses: { 201: { description: 'Created.', schema: question } },
      handler: async (ctx, { body }) => {
        const created = await qa.ask(ctx.state.user, body);
        ctx.status = 201;
        ctx.body = presentQuestion(await qa.get(ctx.state.user, created.id));
      },
    })
    .route({
      method: 'get',
      path: '/questions',
      tags: ['Q&A'],
      summary: 'List questions, newest first',
      query: questionsQuery,
      responses: { 200: { description: 'A page of questions.', schema: page(questionSummary) } },
      handler: async (ctx, { query }) => {
        const { rows, nextCursor } = await qa.list(query);
        ctx.body = { data: rows.map(presentQuestionSummary), nextCursor };
      },
    })
    .route({
      method: 'get',
      path: '/questions/:id',
      tags: ['Q&A'],
      summary: 'A question with its answers, scores and the accepted answer',
      params: idParams,
      responses: { 200: { description: 'The question.', schema: question }, ...noQuestion },
      handler: async (ctx, { params }) => {
        ctx.body = presentQuestion(await qa.get(ctx.state.user, params.id));
      },
    })
    .route({
      method: 'post',
      path: '/questions/:id/answers',
      tags: ['Q&A'],
      summary: 'Answer a question',
      params: idParams,
      body: answerInput,
      responses: { 201: { description: 'Created.', schema: answer }, ...noQuestion },
      handler: async (ctx, { params, body }) => {
        const created = await qa.answer(ctx.state.user, params.id, body.body);
        ctx.status = 201;
        ctx.body = presentAnswer({ answer: created, score: 0, myVote: null }, null);
      },
    })
    .route({
      method: 'post',
      path: '/answers/:id/accept',
      tags: ['Q&A'],
      summary: 'Accept an answer (the asker only)',
      description: 'Accepting another answer later moves the mark.',
      params: idParams,
      responses: {
        200: { description: 'The question with the accepted answer.', schema: question },
        403: { description: 'Not the asker.' },
        ...noAnswer,
      },
      handler: async (ctx, { params }) => {
        ctx.body = presentQuestion(await qa.accept(ctx.state.user, params.id));
      },
    })
    .route({
      method: 'delete',
      path: '/answers/:id/accept',
      tags: ['Q&A'],
      summary: 'Withdraw the acceptance of an answer (the asker only)',
      description:
        'The question then has no accepted answer. Withdrawing it from an answer that is not the accepted one changes nothing.',
      params: idParams,
      responses: {
        200: { description: 'The question, without an accepted answer.', schema: question },
        403: { description: 'Not the asker.' },
        ...noAnswer,
      },
      handler: async (ctx, { params }) => {
        ctx.body = presentQuestion(await qa.unaccept(ctx.state.user, params.id));
      },
    })
    .route({
      method: 'post',
      path: '/questions/:id/votes',
      tags: ['Q&A'],
      summary: 'Vote on a question (+1 or -1; voting again replaces your vote)',
      params: idParams,
      body: voteInput,
      responses: {
        200: { description: 'The new score and your vote.', schema: voteResult },
        403: { description: 'Your own question.' },
        ...noQuestion,
      },
      handler: async (ctx, { params, body }) => {
        ctx.body = await qa.voteQuestion(ctx.state.user, params.id, body.value);
      },
    })
    .route({
      method: 'delete',
      path: '/questions/:id/votes',
      tags: ['Q&A'],
      summary: 'Withdraw your vote on a question',
      description: 'The score no longer counts it. Withdrawing a vote you do not have is harmless (also 204).',
      params: idParams,
      responses: { 204: { description: 'Withdrawn.' }, ...noQuestion },
      handler: async (ctx, { params }) => {
        await qa.withdrawQuestionVote(ctx.state.user, params.id);
        ctx.status = 204;
      },
    })
    .route({
      method: 'post',
      path: '/answers/:id/votes',
      tags: ['Q&A'],
      summary: 'Vote on an answer (+1 or -1; voting again replaces your vote)',
      params: idParams,
      body: voteInput,
      responses: {
        200: { description: 'The new score and your vote.', schema: voteResult },
        403: { description: 'Your own answer.' },
        ...noAnswer,
      },
      handler: async (ctx, { params, body }) => {
        ctx.body = await qa.voteAnswer(ctx.state.user, params.id, body.value);
      },
    })
    .route({
      method: 'delete',
      path: '/answers/:id/votes',
      tags: ['Q&A'],
      summary: 'Withdraw your vote on an answer',
      description: 'The score no longer counts it. Withdrawing a vote you do not have is harmless (also 204).',
      params: idParams,
      responses: { 204: { description: 'Withdrawn.' }, ...noAnswer },
      handler: async (ctx, { params }) => {
        await qa.withdrawAnswerVote(ctx.state.user, params.id);
        ctx.status = 204;
      },
    });
  qaEditRoutes(routes, qa);
}
