/**
 * The live ticket of one workflow run: its state, the calendar, and the one way state changes become
 * visible — {@link TicketRun.emit}, which records an event (history row, projection, inbox, notifications)
 * and then publishes it to Kafka.
 *
 * Ordering and durability. Events are recorded one at a time in `eventSeq` order (callers hold the run's
 * {@link Lock}); an Update answers once its events are recorded, so the API's answer and the database agree.
 * Publishing runs behind, in the same order, on its own chain: a slow or down Kafka delays the Kafka message
 * and the end of the run (which waits for it), never a decision. Event ids come from the workflow's
 * deterministic `uuid4()`, so activity retries and replays write and publish each event once.
 */
import { log, upsertSearchAttributes, uuid4, workflowInfo } from '@temporalio/workflow';
import { type ChainStep, type StepState, pendingApproverIds } from '../../domain/approval-chain';
import { type BusinessCalendar } from '../../domain/calendar';
import { type TicketStatus } from '../../domain/ticket-state';
import { orElse, writes } from './activities';
import {
  type TicketEvent,
  type TicketEventType,
  type TicketWorkflowInput,
  type TicketWorkflowState,
  type ApprovalState,
} from './definitions';
import { Lock } from './lock';
import { initialSla } from './sla';
import {
  TICKET_APPROVER_IDS,
  TICKET_CATEGORY,
  TICKET_ID,
  TICKET_PRIORITY,
  TICKET_REQUESTER_ID,
  TICKET_STATUS,
} from './search-attributes';

/** Run-time knobs that are not part of the ticket (kept across continue-as-new). */
export interface TicketWorkflowOptions {
  /**
   * Continue-as-new once the run's history has this many events (default 10 000, far below Temporal's
   * 51 200 limit), or earlier when the server suggests it. Tests set it low to force a new run.
   */
  maxHistoryEvents?: number;
}

/** What `ticketWorkflow` accepts: the contract's input plus optional {@link TicketWorkflowOptions}. */
export type TicketWorkflowRunInput = TicketWorkflowInput & { options?: TicketWorkflowOptions };

/** Statuses that end the workflow run. */
export const TERMINAL_STATUSES: readonly TicketStatus[] = ['rejected', 'cancelled', 'closed'];

export type LiveStep = ApprovalState['steps'][number];

export class TicketRun {
  state: TicketWorkflowState;
  readonly lock = new Lock();
  private publishTail: Promise<void> = Promise.resolve();
  private publishing = 0;
  private upserted: { status?: string; approvers?: string } = {};

  constructor(readonly input: TicketWorkflowRunInput) {
    this.state = input.state ?? initialState(input);
  }

  get calendar(): BusinessCalendar | undefined {
    return this.input.calendar ?? undefined;
  }

  /** Workflow time (deterministic). */
  now(): Date {
    return new Date(Date.now());
  }

  get terminal(): boolean {
    return TERMINAL_STATUSES.includes(this.state.status);
  }

  /** No state change or publishing in flight. */
  get idle(): boolean {
    return this.lock.idle && this.publishing === 0;
  }

  patch(changes: Partial<TicketWorkflowState>): void {
    this.state = { ...this.state, ...changes };
  }

  patchApproval(changes: Partial<ApprovalState>): void {
    if (!this.state.approval) throw new Error('This ticket has no approval chain');
    this.patch({ approval: { ...this.state.approval, ...changes } });
  }

  /** The chain step definition at `index`. */
  chainStep(index: number): ChainStep {
    const step = this.input.chain?.definition.steps[index];
    if (!step) throw new Error(`The chain has no step ${index}`);
    return step;
  }

  step(index: number): LiveStep {
    const step = this.state.approval?.steps[index];
    if (!step) throw new Error(`The approval has no step ${index}`);
    return step;
  }

  /** The step waiting for decisions, if the ticket is pending approval. */
  current(): { index: number; step: LiveStep } | undefined {
    const index = this.state.approval?.currentStep;
    if (this.state.status !== 'pending_approval' || index === null || index === undefined) return undefined;
    return { index, step: this.step(index) };
  }

  setStep(index: number, step: StepState & Partial<Pick<LiveStep, 'startedAt' | 'finishedAt'>>): void {
    const steps = [...(this.state.approval?.steps ?? [])];
    const before = steps[index];
    steps[index] = { startedAt: before?.startedAt ?? null, finishedAt: before?.finishedAt ?? null, ...step };
    this.patchApproval({ steps });
  }

  /** Who has to act on the current step now. */
  pendingApprovers(): string[] {
    const current = this.current();
    return current ? pendingApproverIds(current.step, this.now()) : [];
  }

  /**
   * Records one event (awaited) and queues its publication. The state passed along is the state after the
   * event; `notify` leaves out the actor and duplicates.
   */
  async emit(
    type: TicketEventType,
    actorId: string | null,
    detail: Record<string, unknown>,
    notify: readonly (string | null | undefined)[] = [],
  ): Promise<TicketEvent> {
    const at = this.now().toISOString();
    this.patch({ eventSeq: this.state.eventSeq + 1, updatedAt: at });
    const recipients: string[] = [];
    for (const id of notify) if (id && id !== actorId && !recipients.includes(id)) recipients.push(id);
    const event: TicketEvent = {
      eventId: uuid4(),
      type,
      ticketId: this.input.ticketId,
      at,
      actorId,
      detail: { seq: this.state.eventSeq, ...detail },
      notify: recipients,
    };
    const state = this.state;
    this.syncSearchAttributes();
    // A permanent failure (input the database refuses) loses this history entry but not the ticket: the
    // workflow's state stays the truth and the next recorded event carries it to the projection.
    const recorded = await orElse(
      `Recording ${type} event ${event.eventId}`,
      async () => {
        await writes.recordTicketEvent({ event, state });
        return true;
      },
      () => false,
    );
    // Publication follows storage: consumers may read the ticket through the API when they get the event.
    if (recorded) this.publish(event, state);
    return event;
  }

  private publish(event: TicketEvent, state: TicketWorkflowState): void {
    this.publishing++;
    this.publishTail = this.publishTail
      .then(() => writes.publishTicketEvent({ event, state }))
      .catch((err: unknown) => {
        // Only a non-retryable error or cancellation ends an activity with unlimited retries; the event is in
        // PostgreSQL regardless.
        log.error('Publishing a ticket event failed', { eventId: event.eventId, error: String(err) });
      })
      .finally(() => {
        this.publishing--;
      });
  }

  /** Keeps `TicketStatus` and `ApproverIds` current, and sets the ticket's fixed attributes when missing. */
  syncSearchAttributes(): void {
    const approvers = this.pendingApprovers();
    const key = approvers.join(',');
    const updates: Parameters<typeof upsertSearchAttributes>[0] = [];
    if (this.upserted.status === undefined) {
      // First call of this run: fill in what the starter did not set.
      const existing = workflowInfo().typedSearchAttributes;
      const fixed = [
        [TICKET_ID, this.input.ticketId],
        [TICKET_CATEGORY, this.input.category],
        [TICKET_PRIORITY, this.input.priority],
        [TICKET_REQUESTER_ID, this.input.requester.id],
      ] as const;
      for (const [k, value] of fixed) if (existing.get(k) !== value) updates.push({ key: k, value });
      if (existing.get(TICKET_STATUS) === this.state.status) this.upserted.status = this.state.status;
      if ((existing.get(TICKET_APPROVER_IDS) ?? []).join(',') === key) this.upserted.approvers = key;
    }
    if (this.upserted.status !== this.state.status) {
      updates.push({ key: TICKET_STATUS, value: this.state.status });
      this.upserted.status = this.state.status;
    }
    if (this.upserted.approvers !== key) {
      updates.push({ key: TICKET_APPROVER_IDS, value: approvers });
      this.upserted.approvers = key;
    }
    if (updates.length > 0) upsertSearchAttributes(updates);
  }
}

function initialState(input: TicketWorkflowInput): TicketWorkflowState {
  const chain = input.chain;
  return {
    status: chain ? 'pending_approval' : 'approved',
    approval: chain
      ? {
          chainId: chain.id,
          chainVersion: chain.version,
          currentStep: null,
          steps: chain.definition.steps.map((step) => ({
            name: step.name,
            mode: step.mode,
            ...(step.mode === 'quorum' ? { quorum: step.quorum ?? 1 } : {}),
            status: 'pending' as const,
            approvers: [],
            startedAt: null,
            finishedAt: null,
          })),
          nextReminderAt: null,
          nextEscalationAt: null,
        }
      : null,
    sla: initialSla(input),
    assigneeId: null,
    resolution: null,
    returnedAtStep: null,
    eventSeq: 0,
    updatedAt: input.submittedAt,
  };
}
