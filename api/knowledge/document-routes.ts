import { AUTHOR_ROLES, EDITOR_ROLES } from '../../domain/knowledge';
import { idParams, page } from '../http/zod';
import type { RouteBuilder } from '../http/route';
import type { DocumentService } from './document-service';
import type { PublishingService } from './publishing-service';
import { presentDocument, presentDocumentSummary } from './presenter';
import {
  createDocument,
  document,
  documentSummary,
  guidesQuery,
  listDocumentsQuery,
  publishInput,
  reviewInput,
  updateDocument,
} from './schema';

const notFound = { 404: { description: 'No such document, or not yours to see.' } };

/**
 * Documents: agents, knowledge editors and admins write them; knowledge editors and admins publish them (an
 * author who is not an editor submits for review instead); readers see published documents only, authors also
 * their own drafts.
 */
export function documentRoutes(routes: RouteBuilder, documents: DocumentService, publishing: PublishingService): void {
  routes
    .route({
      method: 'post',
      path: '/documents',
      roles: [...AUTHOR_ROLES],
      tags: ['Documents'],
      summary: 'Write a document (a draft, version 1)',
      description:
        'Agents, knowledge editors and admins author documents. Troubleshooting guides (`type: "guide"`) also carry `symptoms`, `errorCodes`, `causes` and `steps`; articles may not.',
      body: createDocument,
      responses: { 201: { description: 'Created as a draft, version 1.', schema: document } },
      handler: async (ctx, { body }) => {
        const doc = await documents.create(ctx.state.user, body);
        ctx.status = 201;
        ctx.body = presentDocument(await documents.view(ctx.state.user, doc));
      },
    })
    .route({
      method: 'get',
      path: '/documents',
      tags: ['Documents'],
      summary: 'List documents, newest first',
      description: 'Readers see published documents and their own; knowledge editors and admins see all.',
      query: listDocumentsQuery,
      responses: { 200: { description: 'A page of documents (without bodies).', schema: page(documentSummary) } },
      handler: async (ctx, { query }) => {
        const { rows, nextCursor } = await documents.list(ctx.state.user, query);
        ctx.body = { data: rows.map(presentDocumentSummary), nextCursor };
      },
    })
    .route({
      method: 'get',
      path: '/documents/:id',
      tags: ['Documents'],
      summary: 'Read a document (counts a view when published)',
      params: idParams,
      responses: {
        200: { description: 'The document with its view count and feedback.', schema: document },
        ...notFound,
      },
      handler: async (ctx, { params }) => {
        ctx.body = presentDocument(await documents.read(ctx.state.user, params.id));
      },
    })
    .route({
      method: 'patch',
      path: '/documents/:id',
      tags: ['Documents'],
      summary: 'Edit a document (a new version)',
      description:
        'The author, knowledge editors and admins edit. Every change is a new immutable version; an edit that changes nothing makes none. The status stays as it is. Archived documents are read-only (409).',
      params: idParams,
      body: updateDocument,
      responses: {
        200: { description: 'The document at its new version.', schema: document },
        409: { description: 'Archived, or `baseVersion` is not the current version.' },
        ...notFound,
      },
      handler: async (ctx, { params, body }) => {
        const doc = await documents.update(ctx.state.user, params.id, body);
        ctx.body = presentDocument(await documents.view(ctx.state.user, doc));
      },
    })
    .route({
      method: 'delete',
      path: '/documents/:id',
      tags: ['Documents'],
      summary: 'Archive a document',
      description:
        'Readers no longer see it; its versions are kept and an editor may publish it again. The author, knowledge editors and admins archive; archiving twice is harmless.',
      params: idParams,
      responses: { 200: { description: 'The archived document.', schema: document }, ...notFound },
      handler: async (ctx, { params }) => {
        const doc = await documents.archive(ctx.state.user, params.id);
        ctx.body = presentDocument(await documents.view(ctx.state.user, doc));
      },
    })
    .route({
      method: 'post',
      path: '/documents/:id/publish',
      roles: [...AUTHOR_ROLES],
      tags: ['Documents'],
      summary: 'Publish a document, or submit it for review',
      description:
        'Knowledge editors and admins publish at once (200): the document becomes `published` with a review date (`reviewAt`, six months by default) and is searchable within seconds; publishing again renews the date (and the reminder sent to the owner when it comes), and brings back an archived document. The author who is not an editor submits the document for review instead (202, `in_review`); an editor then approves or rejects it with `POST /documents/{id}/review`. A guide needs at least one step and a symptom or an error code (409 otherwise).',
      params: idParams,
      body: publishInput,
      bodyOptional: true,
      responses: {
        200: { description: 'Published.', schema: document },
        202: { description: 'Submitted for review (`in_review`).', schema: document },
        403: { description: 'Neither an editor nor the author.' },
        409: { description: 'A guide without steps, symptoms or error codes; or not in a status to submit.' },
        503: { description: 'The workflow service did not answer in time; try again.' },
        ...notFound,
      },
      handler: async (ctx, { params, body }) => {
        const reviewAt = body.reviewAt ? new Date(body.reviewAt) : undefined;
        const { doc, submitted } = await publishing.publish(ctx.state.user, params.id, { reviewAt });
        ctx.status = submitted ? 202 : 200;
        ctx.body = presentDocument(await documents.view(ctx.state.user, doc));
      },
    })
    .route({
      method: 'post',
      path: '/documents/:id/review',
      roles: [...EDITOR_ROLES],
      tags: ['Documents'],
      summary: 'Approve or reject a document in review',
      description:
        'Knowledge editors and admins decide on a document in review (`in_review`). `approve` publishes it (the review date the author asked for, if still ahead, else `reviewAt` or six months) and indexes it; `reject` sends it back to draft with the comment (`reviewComment`).',
      params: idParams,
      body: reviewInput,
      responses: {
        200: { description: 'The document after the decision.', schema: document },
        403: { description: 'Not a knowledge editor or admin.' },
        409: { description: 'The document is not in review.' },
        503: { description: 'The workflow service did not answer in time; try again.' },
        ...notFound,
      },
      handler: async (ctx, { params, body }) => {
        const reviewAt = body.reviewAt ? new Date(body.reviewAt) : undefined;
        const doc = await publishing.review(ctx.state.user, params.id, { ...body, reviewAt });
        ctx.body = presentDocument(await documents.view(ctx.state.user, doc));
      },
    })
    .route({
      method: 'get',
      path: '/guides',
      tags: ['Guides'],
      summary: 'Published troubleshooting guides, optionally by error code',
      description: '`errorCode` matches a code a guide lists exactly, ignoring case and surrounding spaces.',
      query: guidesQuery,
      responses: { 200: { description: 'A page of guides, newest first.', schema: page(documentSummary) } },
      handler: async (ctx, { query }) => {
        const { rows, nextCursor } = await documents.guides(query);
        ctx.body = { data: rows.map(presentDocumentSummary), nextCursor };
      },
    });
}
