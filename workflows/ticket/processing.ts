/**
 * After approval: automatic assignment and the status actions of `actUpdate`, checked with the transition
 * table of domain/ticket-state.ts. Every function here runs under the run's lock.
 *
 * Decided here:
 * - When the chain is approved, `pickAssignee` proposes an agent: the ticket gets its assignee (event
 *   `assigned`, counts as the SLA response) but stays `approved` until work starts.
 * - `start` (agent or admin, only from `approved`) starts work: `in_progress`, the assignee is kept, or
 *   becomes the actor when there is none. `assign` (agent or admin) sets the assignee and, as the table says,
 *   starts work (`approved`/`in_progress` -> `in_progress`); it needs `assigneeId`.
 * - `resolve` needs a `resolution`; `reopen` clears it and opens the resolution SLA again.
 * - `cancel` while pending approval stops the step's timers. `rejected`, `cancelled` and `closed` end the run.
 * - Each change emits `status_changed` `{ from, to, action, comment? }` (and `assigned` for a new assignee).
 */
import { type TicketAction, transition } from '../../domain/ticket-state';
import { isRole } from '../../domain/roles';
import { lookups, orElse } from './activities';
import { type ActArgs, type TicketWorkflowState } from './definitions';
import { refused, throwIfRefused } from './refusals';
import { type TicketRun } from './run';
import { markResponded } from './sla';

const ACTIONS: Record<ActArgs['action'], TicketAction> = {
  assign: 'assign',
  start: 'assign',
  resolve: 'resolve',
  close: 'close',
  reopen: 'reopen',
  cancel: 'cancel',
};

/** Assigns an approved ticket by the category's rule, if one matches. */
export async function autoAssign(run: TicketRun): Promise<void> {
  if (run.state.status !== 'approved' || run.state.assigneeId) return;
  const assigneeId = await orElse(
    'Picking an assignee',
    () =>
      lookups.pickAssignee({
        ticketId: run.input.ticketId,
        category: run.input.category,
        requester: run.input.requester,
      }),
    () => null,
  );
  if (!assigneeId) return;
  run.patch({ assigneeId });
  markResponded(run);
  await run.emit('assigned', null, { assigneeId, previous: null, automatic: true }, [
    assigneeId,
    run.input.requester.id,
  ]);
}

/** Why the status action cannot be taken now, or null (validator and handler). */
export function checkAct(state: TicketWorkflowState, args: ActArgs) {
  const action = ACTIONS[args.action];
  if (!action) return refused('invalid_request', `Unknown action "${String(args.action)}".`);
  const actor = { isRequester: args.isRequester, roles: args.roles.filter(isRole) };
  const result = transition(state.status, action, actor);
  if (!result.ok) return result;
  if (args.action === 'start' && state.status !== 'approved') {
    return refused('invalid_transition', `Work cannot start while the ticket is ${state.status.replace('_', ' ')}.`);
  }
  if (args.action === 'assign' && !args.assigneeId) return refused('invalid_request', 'assigneeId is required.');
  if (args.action === 'resolve' && !args.resolution?.trim()) {
    return refused('invalid_request', 'A resolution is required.');
  }
  return null;
}

/** Takes a status action (assign, start, resolve, close, reopen, cancel) and records it. */
export async function act(run: TicketRun, args: ActArgs): Promise<TicketWorkflowState> {
  throwIfRefused(checkAct(run.state, args));
  const from = run.state.status;
  const result = transition(from, ACTIONS[args.action], {
    isRequester: args.isRequester,
    roles: args.roles.filter(isRole),
  });
  if (!result.ok) throw new Error('unreachable: checked above');
  const to = result.value.status;
  const now = run.now().toISOString();
  const comment = args.comment !== undefined ? { comment: args.comment } : {};

  const newAssignee =
    args.action === 'assign'
      ? args.assigneeId!
      : args.action === 'start'
        ? (run.state.assigneeId ?? args.actorId)
        : null;
  if (newAssignee && newAssignee !== run.state.assigneeId) {
    const previous = run.state.assigneeId;
    run.patch({ assigneeId: newAssignee });
    markResponded(run);
    await run.emit('assigned', args.actorId, { assigneeId: newAssignee, previous, automatic: false, ...comment }, [
      newAssignee,
      previous,
      run.input.requester.id,
    ]);
  }

  if (args.action === 'resolve') {
    run.patch({ resolution: args.resolution!.trim(), sla: { ...run.state.sla, resolvedAt: now } });
  } else if (args.action === 'reopen') {
    run.patch({ resolution: null, sla: { ...run.state.sla, resolvedAt: null } });
  } else if (args.action === 'cancel' && run.state.approval) {
    run.patchApproval({ nextReminderAt: null, nextEscalationAt: null });
  }
  const concerned = [run.input.requester.id, run.state.assigneeId, ...run.pendingApprovers()];
  run.patch({ status: to });
  if (to !== from) {
    await run.emit(
      'status_changed',
      args.actorId,
      {
        from,
        to,
        action: args.action,
        ...(args.action === 'resolve' ? { resolution: run.state.resolution } : {}),
        ...comment,
      },
      concerned,
    );
  }
  return run.state;
}
