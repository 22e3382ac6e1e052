import type { ActivityDeps } from '..';
import { createApproverActivities } from './approvers';
import { createAssignmentActivities } from './assignment';
import { classified } from './errors';
import { createPublisherActivities } from './publisher';
import { createRecorderActivities } from './recorder';
import type { TicketActivities } from './types';

export type { TicketActivities } from './types';

/** The clients the ticket activities use. */
export type TicketActivityDeps = Pick<ActivityDeps, 'db' | 'kafka' | 'logger'>;

/**
 * The ticket workflow's activities against PostgreSQL and Kafka. Database failures no retry can fix (a bad
 * id, a missing row) are non-retryable; everything else is thrown for Temporal to retry.
 */
export function createTicketActivities(deps: TicketActivityDeps): TicketActivities {
  const sequelize = deps.db.sequelize;
  const approvers = createApproverActivities({ sequelize });
  const assignment = createAssignmentActivities({ sequelize });
  const recorder = createRecorderActivities({ sequelize, logger: deps.logger });
  const publisher = createPublisherActivities({ kafka: deps.kafka });
  return {
    resolveStepApprovers: (input) => classified(() => approvers.resolveStepApprovers(input)),
    resolveEscalationTargets: (input) => classified(() => approvers.resolveEscalationTargets(input)),
    recordTicketEvent: (input) => recorder.recordTicketEvent(input),
    publishTicketEvent: (input) => publisher.publishTicketEvent(input),
    pickAssignee: (input) => classified(() => assignment.pickAssignee(input)),
  };
}
