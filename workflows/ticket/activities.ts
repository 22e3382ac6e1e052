/**
 * Activity stubs of the ticket workflow. Every activity talks to PostgreSQL or Kafka, so none of them may fail
 * a ticket when a server is down: they retry without limit, backing off to one attempt every five minutes,
 * and each attempt is bounded by a start-to-close timeout so a hung connection is retried too.
 */
import { ActivityFailure, type RetryPolicy, log, proxyActivities } from '@temporalio/workflow';
import type { TicketActivities } from '../../activities/ticket/types';

const retry: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '5 minutes',
  // No maximumAttempts (unlimited) and no scheduleToCloseTimeout: a down database or broker delays the
  // ticket, it never fails it.
};

/** Directory look-ups (approvers, escalation targets, assignment rules). */
export const lookups = proxyActivities<TicketActivities>({ startToCloseTimeout: '30 seconds', retry });

/** History/projection writes and Kafka publishing, idempotent by event id. */
export const writes = proxyActivities<TicketActivities>({ startToCloseTimeout: '1 minute', retry });

/**
 * Runs an activity whose failure must not fail the ticket. With unlimited retries an activity only fails
 * for good when it throws a non-retryable error (bad input no retry can fix, e.g. a user id that no longer
 * exists): then the workflow logs it and carries on with `fallback`. Anything else (cancellation) propagates.
 */
export async function orElse<T>(
  what: string,
  call: () => Promise<T>,
  fallback: (err: ActivityFailure) => T,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    log.error(`${what} failed permanently; the ticket carries on`, { error: String(err.cause ?? err) });
    return fallback(err);
  }
}
