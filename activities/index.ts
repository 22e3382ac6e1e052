import type { Infra } from '../infra';
import { createDiagnosticActivities } from './diagnostics';
import { createKnowledgeActivities } from './knowledge';
import { createTicketActivities } from './ticket';

/** The clients activities are built from (real ones in the worker, fakes in workflow tests). */
export type ActivityDeps = Pick<Infra, 'db' | 'kafka' | 'search' | 'storage' | 'logger'> & { workerName: string };

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDiagnosticActivities(deps),
    ...createTicketActivities(deps),
    ...createKnowledgeActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
