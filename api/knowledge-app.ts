import type Koa from 'koa';
import { createApp } from './create-app';
import type { ApiDeps } from './deps';
import type { AppState } from './http/state';
import { knowledgeRoutes } from './knowledge/routes';
import { meRoutes } from './auth/routes';
import { PeopleService } from './people/service';

/**
 * The Knowledge API (port 8001): documents with versions, guides, categories, tags and Q&A; search comes
 * next. Tokens come from the Ticket API.
 */
export function createKnowledgeApp(deps: ApiDeps): Koa<AppState> {
  return createApp(
    deps,
    {
      title: 'Knowledge API',
      description:
        'Knowledge documents with versions, Q&A, troubleshooting guides and full-text search in Chinese and English.',
      readiness: [deps.db, deps.cache, deps.search, deps.storage, deps.temporal],
    },
    ({ routes, deps }) => {
      meRoutes(routes, new PeopleService(), {
        description: 'Tokens are issued by the Ticket API (`POST /api/v1/auth/token` on port 8000) and accepted here.',
      });
      knowledgeRoutes(routes, deps);
    },
  );
}
