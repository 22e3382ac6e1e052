/**
 * SLA targets of a ticket. Both are counted from the (first) submission with the chain's `sla` durations on
 * the chain's calendar: response is met by the first decision of any approver or the first assignment,
 * resolution by `resolved` (a reopen makes resolution open again). The clock does not pause while the ticket
 * is returned to the requester. A missed target emits one `sla_breached` event per kind and sets `breached`;
 * the ticket carries on.
 */
import { addBusinessDuration } from '../../domain/business-duration';
import { type SlaState, type TicketWorkflowInput, type TicketWorkflowState } from './definitions';
import { type TicketRun } from './run';

export function initialSla(input: TicketWorkflowInput): SlaState {
  const targets = input.chain?.definition.sla;
  const calendar = input.calendar ?? undefined;
  const due = (iso: string | undefined) =>
    iso ? addBusinessDuration(calendar, Date.parse(input.submittedAt), iso).toISOString() : null;
  return {
    responseDueAt: due(targets?.response),
    resolutionDueAt: due(targets?.resolution),
    breached: false,
    respondedAt: null,
    resolvedAt: null,
    breaches: [],
  };
}

/** The targets still being watched, with their due instants (ms). */
export function openSlaTargets(state: TicketWorkflowState): { kind: 'response' | 'resolution'; due: number }[] {
  const { sla } = state;
  const breached = (kind: 'response' | 'resolution') => sla.breaches.some((b) => b.kind === kind);
  const open: { kind: 'response' | 'resolution'; due: number }[] = [];
  if (sla.responseDueAt && !sla.respondedAt && !breached('response')) {
    open.push({ kind: 'response', due: Date.parse(sla.responseDueAt) });
  }
  if (sla.resolutionDueAt && !sla.resolvedAt && !breached('resolution')) {
    open.push({ kind: 'resolution', due: Date.parse(sla.resolutionDueAt) });
  }
  return open;
}

/** Marks the response target met (first decision or assignment). */
export function markResponded(run: TicketRun): void {
  if (!run.state.sla.respondedAt) run.patch({ sla: { ...run.state.sla, respondedAt: run.now().toISOString() } });
}

/** Emits a breach for every open target whose due instant has passed. */
export async function checkSla(run: TicketRun): Promise<void> {
  const now = run.now();
  for (const target of openSlaTargets(run.state)) {
    if (target.due > now.getTime()) continue;
    const sla = run.state.sla;
    run.patch({
      sla: { ...sla, breached: true, breaches: [...sla.breaches, { kind: target.kind, at: now.toISOString() }] },
    });
    const concerned = run.state.assigneeId ? [run.state.assigneeId] : run.pendingApprovers();
    await run.emit('sla_breached', null, { kind: target.kind, dueAt: new Date(target.due).toISOString() }, [
      ...concerned,
      run.input.requester.id,
    ]);
  }
}
