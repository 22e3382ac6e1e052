/**
 * The ticket's durable timers, derived from its state alone: the current step's next reminder and
 * escalation, the end of each live delegation, and each open SLA target. Because the due instants live in
 * the state, continue-as-new and a reopened run carry them without extra bookkeeping, and the workflow needs
 * a single `condition(..., timeout)` for all of them.
 */
import { checkSla, openSlaTargets } from './sla';
import { escalateStep, remind, revertDelegations } from './approval';
import { type TicketRun } from './run';

/** The earliest instant (ms) at which something is due, or null when nothing is scheduled. */
export function nextDue(run: TicketRun): number | null {
  if (run.terminal) return null;
  const times: number[] = openSlaTargets(run.state).map((t) => t.due);
  const current = run.current();
  const approval = run.state.approval;
  if (current && approval) {
    if (approval.nextReminderAt) times.push(Date.parse(approval.nextReminderAt));
    if (approval.nextEscalationAt) times.push(Date.parse(approval.nextEscalationAt));
    for (const a of current.step.approvers) {
      if (a.decision === null && a.delegatedTo && a.delegatedUntil) times.push(Date.parse(a.delegatedUntil));
    }
  }
  return times.length > 0 ? Math.min(...times) : null;
}

/**
 * Runs everything due at the current workflow time, in this order: delegations revert first (so reminders
 * reach the approver again), then the escalation, then the reminder, then SLA breaches.
 */
export async function fireDue(run: TicketRun): Promise<void> {
  const now = run.now().getTime();
  const due = (iso: string | null | undefined) => !!iso && Date.parse(iso) <= now;
  await revertDelegations(run);
  if (run.current() && due(run.state.approval?.nextEscalationAt)) await escalateStep(run);
  if (run.current() && due(run.state.approval?.nextReminderAt)) await remind(run);
  await checkSla(run);
}
