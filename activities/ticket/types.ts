import type { ChainStep, EscalationTarget, ResolvedApprovers } from '../../domain/approval-chain';
import type { RequesterRef, TicketEvent, TicketWorkflowState } from '../../workflows/ticket/definitions';

/**
 * The activities of the ticket workflow. The workflow imports this type only; `createTicketActivities`
 * implements it against PostgreSQL and Kafka, workflow tests with fakes.
 */
export interface TicketActivities {
  /** Resolves a step's approvers from the directory (users by role, managers, department heads), now. */
  resolveStepApprovers(input: {
    ticketId: string;
    step: ChainStep;
    requester: RequesterRef;
  }): Promise<ResolvedApprovers>;

  /** Who an escalation brings in for the silent approvers (their managers, a department head, a user, a role). */
  resolveEscalationTargets(input: {
    ticketId: string;
    target: EscalationTarget;
    silentIds: string[];
    requester: RequesterRef;
  }): Promise<string[]>;

  /**
   * One PostgreSQL transaction, idempotent by `event.eventId`: the history entry, the ticket's projection
   * (status, approval, sla, assignee; only if this event is newer than the stored one), the approval-task
   * inbox rows derived from `state.approval`, and a notification per `event.notify` user.
   */
  recordTicketEvent(input: { event: TicketEvent; state: TicketWorkflowState }): Promise<void>;

  /** Publishes the event to Kafka topic `ticket-events`, key = ticket id, header `event-id` = event id. */
  publishTicketEvent(input: { event: TicketEvent; state: TicketWorkflowState }): Promise<void>;

  /** The agent a category rule assigns an approved ticket to, or null when no rule matches. */
  pickAssignee(input: { ticketId: string; category: string; requester: RequesterRef }): Promise<string | null>;
}
