import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { AppError } from '../../domain/errors';
import type { Logger } from '../../infra/logger';
import type { TemporalClient } from '../../infra/temporal';
import {
  DOCUMENT_LIFECYCLE_WORKFLOW_TYPE,
  LIFECYCLE_REFUSAL_STATUS,
  documentArchived,
  documentLifecycleWorkflowId,
  publishUpdate,
  reviewUpdate,
  submitForReviewUpdate,
  type DocumentLifecycleInput,
  type DocumentLifecycleState,
  type PublishArgs,
  type ReviewArgs,
  type SubmitArgs,
} from '../../workflows/knowledge/definitions';

/**
 * The API's side of the document lifecycle workflow. Every publication, submission and review is an Update on
 * the document's workflow, started first if it is not running (start is idempotent: `USE_EXISTING`), so the
 * caller learns at once whether it was accepted and answers with the row the workflow wrote.
 */
export class DocumentLifecycle {
  /** How long a request waits for the workflow to apply its update before answering 503 (ms). */
  static readonly UPDATE_DEADLINE_MS = 20_000;
  /** How long archiving waits for Temporal to take the signal (ms). */
  static readonly SIGNAL_DEADLINE_MS = 3000;

  constructor(
    private readonly temporal: TemporalClient,
    private readonly logger: Logger,
  ) {}

  publish(start: DocumentLifecycleInput, args: PublishArgs) {
    return this.update(start, publishUpdate, args);
  }

  submit(start: DocumentLifecycleInput, args: SubmitArgs) {
    return this.update(start, submitForReviewUpdate, args);
  }

  review(start: DocumentLifecycleInput, args: ReviewArgs) {
    return this.update(start, reviewUpdate, args);
  }

  /** Tells the document's workflow (if any) that the document was archived, so it ends. Never throws. */
  async archived(documentId: string): Promise<void> {
    try {
      await this.temporal.connection.withDeadline(Date.now() + DocumentLifecycle.SIGNAL_DEADLINE_MS, () =>
        this.temporal.client.workflow.getHandle(documentLifecycleWorkflowId(documentId)).signal(documentArchived),
      );
    } catch (err) {
      // No workflow (never published), or already finished: nothing to end. Otherwise its reminder finds the
      // document archived and records nothing.
      if (!(err instanceof WorkflowNotFoundError))
        this.logger.warn({ err, documentId }, 'lifecycle not told of archive');
    }
  }

  private async update<A>(
    start: DocumentLifecycleInput,
    def: UpdateDefinition<DocumentLifecycleState, [A]>,
    args: A,
  ): Promise<DocumentLifecycleState> {
    const deadline = Date.now() + DocumentLifecycle.UPDATE_DEADLINE_MS;
    const attempt = () =>
      this.temporal.connection.withDeadline(deadline, async () => {
        const handle = await this.temporal.client.workflow.start(DOCUMENT_LIFECYCLE_WORKFLOW_TYPE, {
          workflowId: documentLifecycleWorkflowId(start.documentId),
          taskQueue: this.temporal.taskQueue,
          args: [start],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        });
        return handle.executeUpdate(def, { args: [args] });
      });
    try {
      try {
        return await attempt();
      } catch (err) {
        // The run we found finished in between (the document was just archived): the next start is a new run.
        if (!finished(err)) throw err;
        return await attempt();
      }
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
        const code = err.cause.type ?? 'unavailable';
        const status = LIFECYCLE_REFUSAL_STATUS[code];
        if (status) throw new AppError(status, code, err.cause.message);
      }
      this.logger.error({ err, documentId: start.documentId }, 'document lifecycle update failed');
      throw new AppError(
        503,
        'temporal_unavailable',
        'Publishing is unavailable right now; try again shortly.',
        undefined,
        {
          'Retry-After': '10',
        },
      );
    }
  }
}

/** The run ended between our start (which found it running) and our update. */
const finished = (err: unknown) =>
  err instanceof WorkflowNotFoundError || /already completed/i.test((err as Error | undefined)?.message ?? '');
