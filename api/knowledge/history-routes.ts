import { idParams, page } from '../http/zod';
import type { RouteBuilder } from '../http/route';
import type { DocumentService } from './document-service';
import { presentDocument, presentVersion, presentVersionSummary } from './presenter';
import { document, documentVersion, revertInput, versionParams, versionSummary, versionsQuery } from './schema';

/** The immutable versions of a document: for its author, knowledge editors and admins. */
export function documentHistoryRoutes(routes: RouteBuilder, documents: DocumentService): void {
  const refused = {
    403: { description: 'Readers do not see version history.' },
    404: { description: 'No such document or version, or not yours to see.' },
  };
  routes
    .route({
      method: 'get',
      path: '/documents/:id/versions',
      tags: ['Documents'],
      summary: 'The versions of a document, newest first',
      params: idParams,
      query: versionsQuery,
      responses: { 200: { description: 'A page of versions.', schema: page(versionSummary) }, ...refused },
      handler: async (ctx, { params, query }) => {
        const { rows, nextCursor } = await documents.versions(ctx.state.user, params.id, query);
        ctx.body = { data: rows.map(presentVersionSummary), nextCursor };
      },
    })
    .route({
      method: 'get',
      path: '/documents/:id/versions/:n',
      tags: ['Documents'],
      summary: 'One version of a document, with its full content',
      params: versionParams,
      responses: { 200: { description: 'The version.', schema: documentVersion }, ...refused },
      handler: async (ctx, { params }) => {
        const { doc, version } = await documents.version(ctx.state.user, params.id, params.n);
        ctx.body = presentVersion(version, doc.type);
      },
    })
    .route({
      method: 'post',
      path: '/documents/:id/revert',
      tags: ['Documents'],
      summary: 'Restore an earlier version (as a new version)',
      description:
        'History is never rewritten: the document gets a new version whose content is that of `version`. Same rights as an edit.',
      params: idParams,
      body: revertInput,
      responses: {
        200: { description: 'The document at its new version.', schema: document },
        409: { description: 'Archived, or `version` is already the current one.' },
        ...refused,
      },
      handler: async (ctx, { params, body }) => {
        const doc = await documents.revert(ctx.state.user, params.id, body.version);
        ctx.body = presentDocument(await documents.view(ctx.state.user, doc));
      },
    });
}
