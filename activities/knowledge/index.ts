import type { ActivityDeps } from '..';
import { createIndexingActivities } from './indexing';
import { createReindexActivities } from './reindex';
import type { KnowledgeActivities } from './types';

export type { KnowledgeActivities } from './types';

/** The clients the knowledge search activities use. */
export type KnowledgeActivityDeps = Pick<ActivityDeps, 'search' | 'logger'>;

/**
 * Search indexing for the knowledge base: single documents and questions (after every change the API commits)
 * and the steps of a full rebuild. They read PostgreSQL through the models, which the worker's infra has
 * initialised, and write the search engine. Engine and database errors are thrown as they are: Temporal
 * retries until the engine is back, and every write is idempotent (explicit `_id`, external versions).
 */
export function createKnowledgeActivities(deps: KnowledgeActivityDeps): KnowledgeActivities {
  return { ...createIndexingActivities(deps), ...createReindexActivities(deps) };
}
