/**
 * The contract of the ticket workflow, shared by the workflow, its activities and the API: workflow
 * input, live state, updates and queries. Defined once here (STYLE.md); the API imports the update and
 * query definitions to talk to running tickets.
 *
 * Lifecycle. The API starts one workflow per ticket on submission, id `ticket-<ticketId>`, with the chain
 * version and calendar in force at that moment copied into the input, so later edits never change a
 * running ticket. The workflow runs the approval chain step by step, then carries the ticket through
 * processing (assignment, in progress, resolved, closed; reopen; cancel). It is the single writer of a
 * running ticket's status: every status change made through the API is an Update. `rejected`,
 * `cancelled` and `closed` end the workflow; reopening a closed ticket starts a new run with the same id
 * and the carried-over state (`input.state`).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ApprovalChainDefinition, Decision, StepState } from '../../domain/approval-chain';
import type { BusinessCalendar } from '../../domain/calendar';
import type { TicketStatus } from '../../domain/ticket-state';

export const TICKET_WORKFLOW_TYPE = 'ticketWorkflow';
export const ticketWorkflowId = (ticketId: string) => `ticket-${ticketId}`;

export type Priority = 'low' | 'normal' | 'high' | 'urgent';

/** The requester as approver resolution and escalation need them, captured at submission. */
export interface RequesterRef {
  id: string;
  managerId: string | null;
  departmentId: string | null;
}

export interface TicketWorkflowInput {
  ticketId: string;
  /** Human-facing ticket number. */
  number: number;
  title: string;
  category: string;
  priority: Priority;
  requester: RequesterRef;
  /** The chain version in force at submission; null when the category has no chain (approved at once). */
  chain: { id: string; version: number; definition: ApprovalChainDefinition } | null;
  /** Snapshot of the chain's calendar; null = wall-clock time. */
  calendar: BusinessCalendar | null;
  /** ISO 8601 instant of the (first) submission. */
  submittedAt: string;
  /** Carried over by continue-as-new and by reopening a closed ticket; absent on a first start. */
  state?: TicketWorkflowState;
}

/** The `approval` object of the ticket resource (API.md), live. */
export interface ApprovalState {
  chainId: string;
  chainVersion: number;
  /** Index into `steps` of the step waiting for decisions; null before the first and after the last. */
  currentStep: number | null;
  steps: (StepState & { startedAt: string | null; finishedAt: string | null })[];
  /** ISO instants of the next durable timers of the current step, null when none is set. */
  nextReminderAt: string | null;
  nextEscalationAt: string | null;
}

/** The `sla` object of the ticket resource (API.md). */
export interface SlaState {
  responseDueAt: string | null;
  resolutionDueAt: string | null;
  /** True once any SLA target was missed. */
  breached: boolean;
  respondedAt: string | null;
  resolvedAt: string | null;
  breaches: { kind: 'response' | 'resolution'; at: string }[];
}

export interface TicketWorkflowState {
  status: TicketStatus;
  approval: ApprovalState | null;
  sla: SlaState;
  assigneeId: string | null;
  resolution: string | null;
  /** Step index a `return` happened at; resubmission continues there. */
  returnedAtStep: number | null;
  /** Count of events emitted so far (for ordering history entries). */
  eventSeq: number;
  updatedAt: string;
}

// ---- Updates: decisions and status changes answer with the new state once accepted ---------------

export interface DecideArgs {
  actorId: string;
  decision: Decision;
  comment?: string;
}

export interface DelegateArgs {
  actorId: string;
  toUserId: string;
  /** ISO instant when the delegation reverts by itself; open-ended when absent. */
  until?: string;
  comment?: string;
}

/** Requester resubmits a returned ticket; approval continues at the step that returned it. */
export interface ResubmitArgs {
  actorId: string;
  /** Title and category as edited while returned (the projection in PostgreSQL holds the rest). */
  title?: string;
  comment?: string;
}

/** A status change through the API. `roles` and `isRequester` are the caller's, checked by the API too. */
export interface ActArgs {
  actorId: string;
  roles: string[];
  isRequester: boolean;
  action: 'assign' | 'start' | 'resolve' | 'close' | 'reopen' | 'cancel';
  /** For `assign`. */
  assigneeId?: string;
  /** For `resolve`. */
  resolution?: string;
  comment?: string;
}

export const decideUpdate = defineUpdate<TicketWorkflowState, [DecideArgs]>('decide');
export const delegateUpdate = defineUpdate<TicketWorkflowState, [DelegateArgs]>('delegate');
export const resubmitUpdate = defineUpdate<TicketWorkflowState, [ResubmitArgs]>('resubmit');
export const actUpdate = defineUpdate<TicketWorkflowState, [ActArgs]>('act');
export const stateQuery = defineQuery<TicketWorkflowState>('state');

/**
 * Validators refuse with `ApplicationFailure.create({ type: <code>, nonRetryable: true, message })`;
 * the API answers with the status mapped here.
 */
export const REFUSAL_STATUS: Record<string, 403 | 409 | 400> = {
  not_an_approver: 403,
  forbidden: 403,
  already_decided: 409,
  step_not_pending: 409,
  not_pending: 409,
  invalid_transition: 409,
  already_an_approver: 409,
  invalid_delegation: 400,
  invalid_request: 400,
};

// ---- Events: each history entry, Kafka message and notification comes from one of these -----------

export const TICKET_EVENT_TYPES = [
  'submitted',
  'resubmitted',
  'step_started',
  'decided',
  'returned',
  'reminded',
  'escalated',
  'delegated',
  'delegation_reverted',
  'sla_breached',
  'status_changed',
  'assigned',
] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

/**
 * One domain event. `eventId` is made in the workflow (deterministic `uuid4()`), so activity retries and
 * replays write and publish it once: it is the history row's primary key and the Kafka `event-id` header.
 */
export interface TicketEvent {
  eventId: string;
  type: TicketEventType;
  ticketId: string;
  /** ISO instant (workflow time). */
  at: string;
  /** The user who caused it; null for the workflow's own timers. */
  actorId: string | null;
  /** Type-specific details, documented per type in `docs/events.md`. */
  detail: Record<string, unknown>;
  /** Users to notify about it. */
  notify: string[];
}
