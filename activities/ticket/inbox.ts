/**
 * The approval inbox as a pure function of the workflow's live approval state: who is (or was) asked to act on
 * which step, and where their task stands. The recorder upserts these rows; a row the state no longer names
 * (a replaced or reverted delegate) is closed there.
 */
import type { Decision, StepApprover } from '../../domain/approval-chain';
import type { TicketWorkflowState } from '../../workflows/ticket/definitions';

export type TaskStatus = 'pending' | 'approved' | 'rejected' | 'returned' | 'closed';

/** One row of `approval_tasks`, keyed by (ticket, stepIndex, userId). */
export interface TaskRow {
  stepIndex: number;
  stepName: string;
  userId: string;
  /** The approver a delegate or escalation target acts for; null for an approver's own task. */
  onBehalfOf: string | null;
  status: TaskStatus;
  /** ISO instant: when the step started. */
  requestedAt: string;
  /** ISO instant: the step's next escalation, for pending rows only. */
  dueAt: string | null;
  decidedAt: string | null;
}

const DECIDED: Record<Decision, TaskStatus> = { approve: 'approved', reject: 'rejected', return: 'returned' };

const delegationLive = (until: string | null | undefined, at: string) => !until || Date.parse(at) < Date.parse(until);

/** A row for each approver, live delegate and escalation target of every started step, one per user. */
export function deriveTasks(state: Pick<TicketWorkflowState, 'status' | 'approval'>, at: string): TaskRow[] {
  const approval = state.approval;
  if (!approval) return [];
  const rows: TaskRow[] = [];
  approval.steps.forEach((step, stepIndex) => {
    if (!step.startedAt) return;
    // Only the current step of a ticket waiting for approval has tasks open: a cancelled ticket or a step
    // that concluded closes every task nobody decided.
    const open = state.status === 'pending_approval' && approval.currentStep === stepIndex && step.status === 'pending';
    const base = { stepIndex, stepName: step.name, requestedAt: step.startedAt };
    const candidates: TaskRow[] = [];
    const row = (userId: string, onBehalfOf: string | null, status: TaskStatus, decidedAt: string | null) =>
      candidates.push({
        ...base,
        userId,
        onBehalfOf,
        status,
        dueAt: status === 'pending' ? approval.nextEscalationAt : null,
        decidedAt,
      });
    for (const a of step.approvers) {
      row(a.userId, null, a.decision ? DECIDED[a.decision] : open ? 'pending' : 'closed', a.decidedAt);
      if (a.delegatedTo) {
        const live = delegationLive(a.delegatedUntil, at);
        row(a.delegatedTo, a.userId, ...actorStatus(a, a.delegatedTo, open && live));
      }
      for (const target of a.escalatedTo ?? []) row(target, a.userId, ...actorStatus(a, target, open));
    }
    rows.push(...mergePerUser(candidates));
  });
  return rows;
}

/** A delegate's or escalation target's task: their own decision, pending while they may act, else closed. */
function actorStatus(a: StepApprover, userId: string, mayAct: boolean): [TaskStatus, string | null] {
  if (a.decision) return a.decidedBy === userId ? [DECIDED[a.decision], a.decidedAt] : ['closed', null];
  return [mayAct ? 'pending' : 'closed', null];
}

/**
 * One row per user and step (the table's unique key): someone can be an approver and also a delegate or
 * escalation target for another approver. A pending task wins (it is what the inbox must show), then the
 * user's own task, then a decision over `closed`.
 */
function mergePerUser(candidates: TaskRow[]): TaskRow[] {
  const rank = (r: TaskRow) =>
    (r.status === 'pending' ? 4 : 0) + (r.onBehalfOf === null ? 2 : 0) + (r.status !== 'closed' ? 1 : 0);
  const byUser = new Map<string, TaskRow>();
  for (const r of candidates) {
    const seen = byUser.get(r.userId);
    if (!seen || rank(r) > rank(seen)) byUser.set(r.userId, r);
  }
  return [...byUser.values()];
}
