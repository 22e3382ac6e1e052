import type { ActivityDeps } from '..';
import { createIndexingActivities } from './indexing';
import { createPublishActivities } from './publish';
import { createReindexActivities } from './reindex';
import type { DocumentLifecycleActivities, KnowledgeActivities } from './types';

export type { DocumentLifecycleActivities, KnowledgeActivities } from './types';

/** The clients the knowledge search activities use. */
export type KnowledgeActivityDeps = Pick<ActivityDeps, 'search' | 'logger'>;

/**
 * Search indexing for the knowledge base: single documents and questions (after every change the API commits)
 * and the steps of a full rebuild. They read PostgreSQL through the models, which the worker's infra has
 * initialised, and write the search engine. Engine and database errors are thrown as they are: Temporal
 * retries until the engine is back, and every write is idempotent (explicit `_id`, external versions).
 * The document lifecycle activities (publish, review, reminders) write PostgreSQL only.
 */
export function createKnowledgeActivities(
  deps: KnowledgeActivityDeps,
): KnowledgeActivities & DocumentLifecycleActivities {
  return { ...createIndexingActivities(deps), ...createReindexActivities(deps), ...createPublishActivities(deps) };
}
