import { idParams, page, z } from '../http/zod';
import type { RouteBuilder } from '../http/route';
import { fileOf, multipartFile } from '../http/upload';
import type { EngagementService } from './engagement-service';
import { presentDocumentAttachment, presentFeedback, presentFeedbackEntry } from './presenter';
import { attachmentParams, documentAttachment, feedback, feedbackEntry, feedbackInput, feedbackQuery } from './schema';

/** Feedback from readers, and files attached to documents. */
export function engagementRoutes(routes: RouteBuilder, engagement: EngagementService, uploadLimit: number): void {
  const notFound = { 404: { description: 'No such document, or not yours to see.' } };
  routes
    .route({
      method: 'post',
      path: '/documents/:id/feedback',
      tags: ['Documents'],
      summary: 'Say whether a published document helped',
      description: 'One verdict per person: sending again replaces yours (200); the first one is 201.',
      params: idParams,
      body: feedbackInput,
      responses: {
        200: { description: 'Your feedback, changed.', schema: feedback },
        201: { description: 'Your feedback, recorded.', schema: feedback },
        409: { description: 'The document is not published.' },
        ...notFound,
      },
      handler: async (ctx, { params, body }) => {
        const result = await engagement.giveFeedback(ctx.state.user, params.id, body);
        ctx.status = result.created ? 201 : 200;
        ctx.body = presentFeedback(result.feedback);
      },
    })
    .route({
      method: 'get',
      path: '/documents/:id/feedback',
      tags: ['Documents'],
      summary: 'What readers said about a document, newest first',
      description:
        'For its author, knowledge editors and admins. One entry per reader; a changed verdict keeps its place (ordered by when it was first given) and shows the change in `updatedAt`.',
      params: idParams,
      query: feedbackQuery,
      responses: {
        200: { description: 'A page of feedback.', schema: page(feedbackEntry) },
        403: { description: 'Readers do not see the feedback of others.' },
        ...notFound,
      },
      handler: async (ctx, { params, query }) => {
        const { rows, nextCursor } = await engagement.listFeedback(ctx.state.user, params.id, query);
        ctx.body = { data: rows.map(presentFeedbackEntry), nextCursor };
      },
    })
    .route({
      method: 'post',
      path: '/documents/:id/attachments',
      tags: ['Documents'],
      summary: 'Attach a file to a document (multipart field `file`)',
      description: `Whoever may edit the document. Documents, images, text and archives up to ${uploadLimit} bytes, as for tickets; stored in object storage.`,
      params: idParams,
      bodyTypes: ['multipart/form-data'],
      body: z.object({ file: z.string().openapi({ format: 'binary' }) }),
      before: [multipartFile(uploadLimit)],
      responses: {
        201: { description: 'Stored.', schema: documentAttachment },
        409: { description: 'The document is archived.' },
        413: { description: 'Too large.' },
        415: { description: 'Type not accepted.' },
        ...notFound,
      },
      handler: async (ctx, { params }) => {
        ctx.status = 201;
        ctx.body = presentDocumentAttachment(await engagement.addAttachment(ctx.state.user, params.id, fileOf(ctx)));
      },
    })
    .route({
      method: 'get',
      path: '/documents/:id/attachments',
      tags: ['Documents'],
      summary: 'Attachments of a document, oldest first',
      params: idParams,
      responses: {
        200: { description: 'Oldest first.', schema: z.object({ data: z.array(documentAttachment) }) },
        ...notFound,
      },
      handler: async (ctx, { params }) => {
        ctx.body = {
          data: (await engagement.listAttachments(ctx.state.user, params.id)).map(presentDocumentAttachment),
        };
      },
    })
    .route({
      method: 'get',
      path: '/documents/:id/attachments/:attachmentId',
      tags: ['Documents'],
      summary: 'Download an attachment (302 to a signed URL valid for a minute)',
      params: attachmentParams,
      responses: {
        302: { description: 'Redirect to a short-lived signed URL.' },
        404: { description: 'No such attachment, or not yours to see.' },
      },
      handler: async (ctx, { params }) => {
        ctx.set('Cache-Control', 'no-store');
        ctx.redirect(await engagement.downloadUrl(ctx.state.user, params.id, params.attachmentId));
      },
    });
}
