import { EDITOR_ROLES } from '../../domain/knowledge';
import { idParams, page } from '../http/zod';
import type { RouteBuilder } from '../http/route';
import { presentCategory } from './presenter';
import { categoriesQuery, category, categoryInput, categoryPatch, tagCount, tagsQuery } from './schema';
import type { TaxonomyService } from './taxonomy-service';

/** The category tree (knowledge editors and admins shape it; everyone reads it) and tag counts. */
export function taxonomyRoutes(routes: RouteBuilder, taxonomy: TaxonomyService): void {
  routes
    .route({
      method: 'post',
      path: '/categories',
      roles: [...EDITOR_ROLES],
      tags: ['Categories'],
      summary: 'Create a category (under `parentId`, or a root)',
      description: 'Sibling names are unique regardless of case; categories nest at most 8 deep.',
      body: categoryInput,
      responses: {
        201: { description: 'Created.', schema: category },
        409: { description: 'A sibling has that name.' },
      },
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        ctx.body = presentCategory(await taxonomy.createCategory(ctx.state.user, body));
      },
    })
    .route({
      method: 'get',
      path: '/categories',
      tags: ['Categories'],
      summary: 'The category tree as a flat list in tree order',
      description:
        'Each parent comes right before its children; `parentId` and `path` rebuild the tree. With `parentId`, only that category’s children.',
      query: categoriesQuery,
      responses: { 200: { description: 'A page of categories.', schema: page(category) } },
      handler: async (ctx, { query }) => {
        const { rows, nextCursor } = await taxonomy.listCategories(query);
        ctx.body = { data: rows.map(presentCategory), nextCursor };
      },
    })
    .route({
      method: 'get',
      path: '/categories/:id',
      tags: ['Categories'],
      summary: 'Get a category',
      params: idParams,
      responses: { 200: { description: 'The category.', schema: category }, 404: { description: 'No such category.' } },
      handler: async (ctx, { params }) => {
        ctx.body = presentCategory(await taxonomy.getCategory(params.id));
      },
    })
    .route({
      method: 'patch',
      path: '/categories/:id',
      roles: [...EDITOR_ROLES],
      tags: ['Categories'],
      summary: 'Rename and/or move a category (its subcategories move along)',
      description:
        'Sibling names stay unique regardless of case; categories nest at most 8 deep, counting the subcategories that move along. The published documents filed below it are reindexed, so search by category follows within seconds.',
      params: idParams,
      body: categoryPatch,
      responses: {
        200: { description: 'The category in its new place.', schema: category },
        404: { description: 'No such category.' },
        409: { description: 'A sibling has that name, or the new parent is the category itself or lies below it.' },
      },
      handler: async (ctx, { params, body }) => {
        ctx.body = presentCategory(await taxonomy.updateCategory(params.id, body));
      },
    })
    .route({
      method: 'delete',
      path: '/categories/:id',
      roles: [...EDITOR_ROLES],
      tags: ['Categories'],
      summary: 'Delete an empty category',
      description: 'Only a category without subcategories and without documents (in any status, archived included).',
      params: idParams,
      responses: {
        204: { description: 'Deleted.' },
        404: { description: 'No such category.' },
        409: { description: 'The category still holds subcategories or documents.' },
      },
      handler: async (ctx, { params }) => {
        await taxonomy.deleteCategory(params.id);
        ctx.status = 204;
      },
    })
    .route({
      method: 'get',
      path: '/tags',
      tags: ['Tags'],
      summary: 'Tags with the number of documents carrying them, most used first',
      description: 'Readers count published documents; knowledge editors and admins also drafts.',
      query: tagsQuery,
      responses: { 200: { description: 'A page of tags.', schema: page(tagCount) } },
      handler: async (ctx, { query }) => {
        const { rows, nextCursor } = await taxonomy.tags(ctx.state.user, query);
        ctx.body = { data: rows.map((t) => ({ name: t.name, count: t.count })), nextCursor };
      },
    });
}
