import type { RouteBuilder } from '../http/route';
import {
  reindexInput,
  reindexParams,
  reindexStarted,
  reindexStatus,
  searchQuery,
  searchResult,
  suggestionList,
  suggestionsQuery,
} from './search-schema';
import type { SearchIndexing, SearchService } from './search-service';

/** Full-text search, ticket suggestions, and the admin's index rebuild. */
export function searchRoutes(routes: RouteBuilder, search: SearchService, indexing: SearchIndexing): void {
  routes
    .route({
      method: 'get',
      path: '/search',
      tags: ['Search'],
      summary: 'Search published articles, guides and Q&A',
      description:
        'Matches title, summary, body, tags, guide fields (symptoms, error codes, causes, steps), questions and their answers. Traditional and Simplified Chinese find each other (`印表机` finds `印表機`, `打印` finds `列印`), English words match their other forms (`printers` finds `printer`). Title matches and troubleshooting guides rank higher. Facets count the hits per type, category and tag; each facet ignores its own filter. Search may lag a write by a few seconds. 503 when the search engine is unavailable.',
      query: searchQuery,
      responses: {
        200: { description: 'A page of hits with facets.', schema: searchResult },
        503: { description: 'The search engine is unavailable.' },
      },
      handler: async (ctx, { query }) => {
        ctx.body = await search.find(query);
      },
    })
    .route({
      method: 'get',
      path: '/suggestions',
      tags: ['Search'],
      summary: 'Articles and guides relevant to a ticket being written',
      description:
        "For the ticket form: the published articles and guides most like the ticket's text (more-like-this over titles, summaries, bodies and guide fields). Documents tagged with the ticket's category, or in a knowledge category of that name, rank higher.",
      query: suggestionsQuery,
      responses: {
        200: { description: 'The most relevant first.', schema: suggestionList },
        503: { description: 'The search engine is unavailable.' },
      },
      handler: async (ctx, { query }) => {
        ctx.body = await search.suggest(query);
      },
    })
    .route({
      method: 'post',
      path: '/search/reindex',
      roles: ['admin'],
      tags: ['Search'],
      summary: 'Rebuild the search index from the database (admin)',
      description:
        'Starts the reindex workflow: a new index is filled in batches while search keeps using the current one, then the alias moves to it atomically and the old index is deleted. While a rebuild runs, asking again answers the running one.',
      body: reindexInput,
      bodyOptional: true,
      responses: { 202: { description: 'Started (or already running).', schema: reindexStarted } },
      handler: async (ctx, { body }) => {
        ctx.status = 202;
        ctx.body = await indexing.startReindex(body.batchSize ? { batchSize: body.batchSize } : {});
      },
    })
    .route({
      method: 'get',
      path: '/search/reindex/:id',
      roles: ['admin'],
      tags: ['Search'],
      summary: 'Progress of a rebuild (admin)',
      params: reindexParams,
      responses: {
        200: { description: 'Status and progress.', schema: reindexStatus },
        404: { description: 'No such rebuild.' },
      },
      handler: async (ctx, { params }) => {
        ctx.body = await indexing.reindexStatus(params.id);
      },
    });
}
