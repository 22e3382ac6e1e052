import { AppError } from '../../domain/errors';
import { idParams, page, pageQuery, z } from '../http/zod';
import type { RouteBuilder } from '../http/route';
import { fileOf, multipartFile } from '../http/upload';
import type { CollaborationService } from './collaboration';
import { presentAttachment, presentComment, presentHistory, presentNotification, presentTask } from './presenter';
import {
  approvalTask,
  approvalsQuery,
  attachment,
  comment,
  commentInput,
  historyEntry,
  notification,
  notificationsQuery,
} from './schema';
import type { TicketService } from './service';

/** History, comments, attachments, the approval inbox and notifications. */
export function ticketActivityRoutes(
  routes: RouteBuilder,
  tickets: TicketService,
  collab: CollaborationService,
  uploadLimit: number,
): void {
  const notFound = { 404: { description: 'No such ticket, or not yours to see.' } };
  routes
    .route({
      method: 'get',
      path: '/tickets/:id/history',
      tags: ['Tickets'],
      summary: 'Everything that happened to a ticket, oldest first',
      params: idParams,
      responses: {
        200: {
          description:
            'Submissions, decisions, reminders, escalations, delegations, SLA breaches, status changes and comments.',
          schema: z.object({ data: z.array(historyEntry) }),
        },
        ...notFound,
      },
      handler: async (ctx, { params }) => {
        ctx.body = { data: (await tickets.history(ctx.state.user, params.id)).map(presentHistory) };
      },
    })
    .route({
      method: 'post',
      path: '/tickets/:id/comments',
      tags: ['Tickets'],
      summary: 'Comment on a ticket',
      params: idParams,
      body: commentInput,
      responses: { 201: { description: 'Created.', schema: comment }, ...notFound },
      handler: async (ctx, { params, body }) => {
        ctx.status = 201;
        ctx.body = presentComment(await collab.addComment(ctx.state.user, params.id, body));
      },
    })
    .route({
      method: 'get',
      path: '/tickets/:id/comments',
      tags: ['Tickets'],
      summary: 'Comments on a ticket, newest first (internal notes only for agents, approvers and admins)',
      params: idParams,
      query: z.strictObject({ ...pageQuery }),
      responses: { 200: { description: 'A page of comments.', schema: page(comment) }, ...notFound },
      handler: async (ctx, { params, query }) => {
        const { rows, nextCursor } = await collab.listComments(ctx.state.user, params.id, query);
        ctx.body = { data: rows.map(presentComment), nextCursor };
      },
    })
    .route({
      method: 'post',
      path: '/tickets/:id/attachments',
      tags: ['Tickets'],
      summary: 'Attach a file (multipart field `file`)',
      description: `Documents, images, text and archives up to ${uploadLimit} bytes; stored in object storage.`,
      params: idParams,
      bodyTypes: ['multipart/form-data'],
      body: z.object({ file: z.string().openapi({ format: 'binary' }) }),
      before: [multipartFile(uploadLimit)],
      responses: {
        201: { description: 'Stored.', schema: attachment },
        413: { description: 'Too large.' },
        415: { description: 'Type not accepted.' },
        ...notFound,
      },
      handler: async (ctx, { params }) => {
        ctx.status = 201;
        ctx.body = presentAttachment(await collab.addAttachment(ctx.state.user, params.id, fileOf(ctx)));
      },
    })
    .route({
      method: 'get',
      path: '/tickets/:id/attachments',
      tags: ['Tickets'],
      summary: 'Attachments of a ticket',
      params: idParams,
      responses: {
        200: { description: 'Oldest first.', schema: z.object({ data: z.array(attachment) }) },
        ...notFound,
      },
      handler: async (ctx, { params }) => {
        ctx.body = { data: (await collab.listAttachments(ctx.state.user, params.id)).map(presentAttachment) };
      },
    })
    .route({
      method: 'get',
      path: '/attachments/:id',
      tags: ['Tickets'],
      summary: 'Download an attachment (302 to a signed URL valid for a minute)',
      params: idParams,
      responses: {
        302: { description: 'Redirect to a short-lived signed URL.' },
        404: { description: 'No such attachment, or not yours to see.' },
      },
      handler: async (ctx, { params }) => {
        ctx.set('Cache-Control', 'no-store');
        ctx.redirect(await collab.downloadUrl(ctx.state.user, params.id));
      },
    })
    .route({
      method: 'get',
      path: '/approvals',
      tags: ['Approvals'],
      summary: "The caller's approval tasks",
      query: approvalsQuery,
      responses: { 200: { description: 'Oldest request first.', schema: page(approvalTask) } },
      handler: async (ctx, { query }) => {
        const offset = query.cursor ? Number.parseInt(Buffer.from(query.cursor, 'base64url').toString(), 10) : 0;
        if (!Number.isSafeInteger(offset) || offset < 0)
          throw new AppError(400, 'validation_failed', 'The request is not valid.', [
            { path: 'query.cursor', message: 'not a cursor this API issued' },
          ]);
        const rows = await collab.inbox(ctx.state.user, { ...query, limit: query.limit + 1 }, offset);
        const more = rows.length > query.limit;
        ctx.body = {
          data: rows.slice(0, query.limit).map(presentTask),
          nextCursor: more ? Buffer.from(String(offset + query.limit)).toString('base64url') : null,
        };
      },
    })
    .route({
      method: 'get',
      path: '/notifications',
      tags: ['Notifications'],
      summary: "The caller's notifications, newest first",
      query: notificationsQuery,
      responses: { 200: { description: 'A page of notifications.', schema: page(notification) } },
      handler: async (ctx, { query }) => {
        const { rows, nextCursor } = await collab.notifications(ctx.state.user, query);
        ctx.body = { data: rows.map(presentNotification), nextCursor };
      },
    })
    .route({
      method: 'post',
      path: '/notifications/:id/read',
      tags: ['Notifications'],
      summary: 'Mark a notification read',
      params: idParams,
      responses: {
        200: { description: 'The notification.', schema: notification },
        404: { description: 'No such notification of yours.' },
      },
      handler: async (ctx, { params }) => {
        ctx.body = presentNotification(await collab.markRead(ctx.state.user, params.id));
      },
    });
}
