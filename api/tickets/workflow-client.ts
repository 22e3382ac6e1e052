import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import { AppError, conflict } from '../../domain/errors';
import type { TemporalClient } from '../../infra/temporal';
import {
  REFUSAL_STATUS,
  TICKET_WORKFLOW_TYPE,
  stateQuery,
  ticketWorkflowId,
  type TicketWorkflowInput,
  type TicketWorkflowState,
} from '../../workflows/ticket/definitions';
import {
  TICKET_CATEGORY,
  TICKET_ID,
  TICKET_PRIORITY,
  TICKET_REQUESTER_ID,
  TICKET_STATUS,
} from '../../workflows/ticket/search-attributes';
import type { UpdateDefinition } from '@temporalio/common';

/** The API's side of the ticket workflow: start, update (refusals become 403/409), query. */
export class TicketWorkflows {
  constructor(private readonly temporal: TemporalClient) {}

  private handle(ticketId: string): WorkflowHandle {
    return this.temporal.client.workflow.getHandle(ticketWorkflowId(ticketId));
  }

  /** Starts the ticket's workflow; a second start of a running ticket is a 409. */
  async start(input: TicketWorkflowInput): Promise<void> {
    try {
      await this.temporal.client.workflow.start(TICKET_WORKFLOW_TYPE, {
        workflowId: ticketWorkflowId(input.ticketId),
        taskQueue: this.temporal.taskQueue,
        args: [input],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        typedSearchAttributes: new TypedSearchAttributes([
          { key: TICKET_ID, value: input.ticketId },
          { key: TICKET_STATUS, value: input.chain ? 'pending_approval' : 'approved' },
          { key: TICKET_CATEGORY, value: input.category },
          { key: TICKET_PRIORITY, value: input.priority },
          { key: TICKET_REQUESTER_ID, value: input.requester.id },
        ]),
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError)
        throw conflict('The ticket is already submitted.', 'already_submitted');
      throw err;
    }
  }

  /** Runs an Update and answers with the state it produced; validator refusals keep their code. */
  async update<A>(
    ticketId: string,
    def: UpdateDefinition<TicketWorkflowState, [A]>,
    args: A,
  ): Promise<TicketWorkflowState> {
    try {
      return await this.handle(ticketId).executeUpdate(def, { args: [args] });
    } catch (err) {
      throw toRefusal(err) ?? err;
    }
  }

  /** The live state, or undefined when the workflow is gone or does not answer. */
  async state(ticketId: string): Promise<TicketWorkflowState | undefined> {
    try {
      return await this.handle(ticketId).query(stateQuery);
    } catch {
      return undefined;
    }
  }
}

function toRefusal(err: unknown): AppError | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const code = err.cause.type ?? 'invalid_transition';
    return new AppError(REFUSAL_STATUS[code] ?? 409, code, err.cause.message);
  }
  if (err instanceof WorkflowNotFoundError || /already completed|not found/i.test((err as Error)?.message ?? '')) {
    return conflict('The ticket has no running workflow (it is a draft or already finished).', 'not_running');
  }
  return undefined;
}
