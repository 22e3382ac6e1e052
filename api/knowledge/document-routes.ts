import { AUTHOR_ROLES, EDITOR_ROLES } from '../../domain/knowledge';
import { idParams, page } from '../http/zod';
import type { RouteBuilder } from '../http/route';
import type { DocumentService } from './document-service';
import { presentDocument, presentDocumentSummary } from './presenter';
import {
  createDocument,
  document,
  documentSummary,
  guidesQuery,
  listDocumentsQuery,
  publishInput,
  updateDocument,
} from './schema';

const notFound = { 404: { description: 'No such document, or not yours to see.' } };

/**
 * Documents: agents, knowledge editors and admins write them; knowledge editors and admins publish them;
 * readers see published documents only, authors also their own drafts.
 */
export function documentRoutes(routes: RouteBuilder, documents: DocumentService): void {
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
      roles: [...EDITOR_ROLES],
      tags: ['Documents'],
      summary: 'Publish a document',
      description:
        'Knowledge editors and admins. The document becomes `published` with a review date (`reviewAt`, six months by default); publishing again renews it, and brings back an archived document. A guide needs at least one step and a symptom or an error code (409 otherwise).',
      params: idParams,
      body: publishInput,
      bodyOptional: true,
      responses: {
        200: { description: 'The published document.', schema: document },
        409: { description: 'A guide without steps, symptoms or error codes.' },
        ...notFound,
      },
      handler: async (ctx, { params, body }) => {
        const reviewAt = body.reviewAt ? new Date(body.reviewAt) : undefined;
        const doc = await documents.publish(ctx.state.user, params.id, { reviewAt });
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
