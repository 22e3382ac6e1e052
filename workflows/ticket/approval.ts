/**
 * The approval chain as the workflow runs it. Every function here runs under the run's lock.
 *
 * Decided here:
 * - Approvers are resolved when a step starts (`resolveStepApprovers`) and stay fixed for that step.
 *   `no_approvers`: the step is skipped (status `skipped`, a `step_started` event with `skipped: true` and the
 *   references that named nobody, so the history says why) and the chain goes on; a chain whose every step is
 *   skipped is approved. A resolution that fails permanently (a non-retryable activity error) skips the step
 *   the same way, with `reason: 'resolution_failed'`. `quorum_unreachable`: the step runs with the quorum lowered to the approvers found
 *   (everyone must approve), recorded in the `step_started` event.
 * - Reminders repeat every `remindAfter` (business duration from the previous reminder's due instant) while
 *   the step is pending, to whoever has to act then (undecided approvers or their live delegates, and escalation
 *   targets).
 * - `escalateAfter` happens once per step start. `onTimeout: 'reject'` rejects the step and the chain.
 *   Otherwise the escalation targets are resolved per silent approver (so "manager" is that approver's own
 *   manager) and may decide in the silent approver's place (`escalate`) in `all` and `quorum` modes; in `any`
 *   mode they are added as one more approver (`addApprover`), whose approval alone suffices there, so that
 *   one person's rejection cannot count as several.
 * - A `return` returns the ticket at once (`returned`, `returnedAtStep`); resubmission starts that step afresh
 *   with newly resolved approvers. A rejection rejects the chain and marks later steps `skipped`.
 * - Events: `step_started`, `decided`, `returned`, `reminded`, `escalated`, `delegated`,
 *   `delegation_reverted`, and `status_changed` (`{ from, to, action, reason? }`) when the chain concludes.
 */
import {
  type ResolvedApprovers,
  type StepState,
  addApprover,
  applyDecision,
  delegate,
  escalate,
  revertExpiredDelegations,
  silentApproverIds,
  skipStep,
  startStep,
} from '../../domain/approval-chain';
import { addBusinessDuration } from '../../domain/business-duration';
import { lookups, orElse } from './activities';
import { type DecideArgs, type DelegateArgs, type ResubmitArgs, type TicketWorkflowState } from './definitions';
import { autoAssign } from './processing';
import { refused, throwIfRefused } from './refusals';
import { type TicketRun } from './run';
import { markResponded } from './sla';
import { transition } from '../../domain/ticket-state';

const iso = (d: Date) => d.toISOString();

/** Starts step `index`, skipping steps without approvers; approves the chain after the last step. */
export async function startStepAt(run: TicketRun, index: number): Promise<void> {
  const steps = run.input.chain?.definition.steps ?? [];
  for (let i = index; i < steps.length; i++) {
    const definition = run.chainStep(i);
    let failed = false;
    const resolved = await orElse(
      `Resolving the approvers of step ${i}`,
      () =>
        lookups.resolveStepApprovers({
          ticketId: run.input.ticketId,
          step: definition,
          requester: run.input.requester,
        }),
      (): ResolvedApprovers => {
        failed = true;
        return { approvers: [], problem: 'no_approvers', unresolved: definition.approvers };
      },
    );
    const now = run.now();
    if (resolved.problem === 'no_approvers' || resolved.approvers.length === 0) {
      run.setStep(i, { ...skipStep(definition), startedAt: iso(now), finishedAt: iso(now) });
      run.patchApproval({ currentStep: null, nextReminderAt: null, nextEscalationAt: null });
      await run.emit('step_started', null, {
        step: i,
        name: definition.name,
        approvers: [],
        skipped: true,
        reason: failed ? 'resolution_failed' : 'no_approvers',
        unresolved: resolved.unresolved,
      });
      continue;
    }
    let step: StepState = startStep(definition, resolved.approvers);
    const lowered = resolved.problem === 'quorum_unreachable';
    if (lowered) step = { ...step, quorum: step.approvers.length };
    run.setStep(i, { ...step, startedAt: iso(now), finishedAt: null });
    run.patchApproval({
      currentStep: i,
      nextReminderAt: definition.remindAfter
        ? iso(addBusinessDuration(run.calendar, now, definition.remindAfter))
        : null,
      nextEscalationAt: definition.escalateAfter
        ? iso(addBusinessDuration(run.calendar, now, definition.escalateAfter))
        : null,
    });
    await run.emit(
      'step_started',
      null,
      {
        step: i,
        name: definition.name,
        mode: step.mode,
        approvers: resolved.approvers,
        unresolved: resolved.unresolved,
        ...(lowered ? { quorum: step.quorum, quorumLoweredFrom: definition.quorum ?? null } : {}),
      },
      resolved.approvers,
    );
    return;
  }
  await concludeChain(run, 'approved', null, {});
}

/** Ends the chain: `approved` (then automatic assignment) or `rejected` (later steps skipped). */
async function concludeChain(
  run: TicketRun,
  to: 'approved' | 'rejected',
  actorId: string | null,
  detail: Record<string, unknown>,
): Promise<void> {
  const approval = run.state.approval;
  if (approval && to === 'rejected') {
    const at = approval.currentStep ?? -1;
    const steps = approval.steps.map((s, i) =>
      i > at && s.startedAt === null ? { ...skipStep(run.chainStep(i)), startedAt: null, finishedAt: null } : s,
    );
    run.patchApproval({ steps });
  }
  if (approval) run.patchApproval({ currentStep: null, nextReminderAt: null, nextEscalationAt: null });
  const from = run.state.status;
  run.patch({ status: to });
  await run.emit(
    'status_changed',
    actorId,
    { from, to, action: to === 'approved' ? 'approve_chain' : 'reject_chain', ...detail },
    [run.input.requester.id],
  );
  if (to === 'approved') await autoAssign(run);
}

/** Moves on after step `index` changed status (a decision, a timeout). */
async function afterStepChange(run: TicketRun, index: number, actorId: string | null, comment?: string) {
  const step = run.step(index);
  if (step.status === 'pending') return;
  run.setStep(index, { ...step, finishedAt: run.now().toISOString() });
  if (step.status === 'approved') {
    await startStepAt(run, index + 1);
  } else if (step.status === 'rejected') {
    await concludeChain(run, 'rejected', actorId, { step: index });
  } else if (step.status === 'returned') {
    run.patchApproval({ currentStep: null, nextReminderAt: null, nextEscalationAt: null });
    run.patch({ status: 'returned', returnedAtStep: index });
    await run.emit(
      'returned',
      actorId,
      { from: 'pending_approval', to: 'returned', step: index, ...(comment !== undefined ? { comment } : {}) },
      [run.input.requester.id],
    );
  }
}

// ---- decisions ---------------------------------------------------------------------------------------

/** Why `args` cannot be decided now (the validator's and the handler's check), or null. */
export function checkDecide(state: TicketWorkflowState, args: DecideArgs, run: TicketRun) {
  const current = run.current();
  if (!current || state.status !== 'pending_approval') {
    return refused('not_pending', `The ticket is ${state.status.replace('_', ' ')}, not pending approval.`);
  }
  const result = applyDecision(current.step, args.actorId, args.decision, run.now(), args.comment);
  if (result.ok) return null;
  // A retried decision that already moved the chain on is a duplicate (409), not a stranger's (403).
  if (result.code === 'not_an_approver' && decidedEarlier(state, current.index, args.actorId)) {
    return refused('already_decided', 'You already decided on this ticket; it has moved on to the next step.');
  }
  return result;
}

function decidedEarlier(state: TicketWorkflowState, currentIndex: number, actorId: string): boolean {
  return (state.approval?.steps ?? []).some(
    (s, i) => i < currentIndex && s.approvers.some((a) => a.decision !== null && (a.decidedBy ?? a.userId) === actorId),
  );
}

/** Applies a decision, records it, and moves the chain on when the step concluded. */
export async function decide(run: TicketRun, args: DecideArgs): Promise<TicketWorkflowState> {
  throwIfRefused(checkDecide(run.state, args, run));
  const { index, step } = run.current()!;
  const result = applyDecision(step, args.actorId, args.decision, run.now(), args.comment);
  if (!result.ok) throw new Error('unreachable: checked above');
  run.setStep(index, result.value);
  markResponded(run);
  const forApprovers = result.value.approvers
    .filter((a, i) => a.decidedBy === args.actorId && step.approvers[i]?.decision === null)
    .map((a) => a.userId);
  await run.emit(
    'decided',
    args.actorId,
    {
      step: index,
      name: step.name,
      decision: args.decision,
      ...(args.comment !== undefined ? { comment: args.comment } : {}),
      ...(forApprovers.length > 0 ? { onBehalfOf: forApprovers } : {}),
      stepStatus: result.value.status,
    },
    [run.input.requester.id],
  );
  await afterStepChange(run, index, args.actorId, args.comment);
  return run.state;
}

// ---- delegation --------------------------------------------------------------------------------------

/** Why the delegation cannot be made now, or null. */
export function checkDelegate(state: TicketWorkflowState, args: DelegateArgs, run: TicketRun) {
  const current = run.current();
  if (!current || state.status !== 'pending_approval') {
    return refused('not_pending', `The ticket is ${state.status.replace('_', ' ')}, not pending approval.`);
  }
  if (args.toUserId === run.input.requester.id) {
    return refused('invalid_delegation', 'The requester cannot approve their own ticket.');
  }
  if (args.until !== undefined) {
    const until = Date.parse(args.until);
    if (Number.isNaN(until)) return refused('invalid_delegation', '"until" must be an ISO 8601 instant.');
    if (until <= run.now().getTime()) return refused('invalid_delegation', '"until" must be in the future.');
  }
  const result = delegate(current.step, args.actorId, args.toUserId, args.until);
  return result.ok ? null : result;
}

/** Hands the actor's task to `toUserId` (until `until`) and records it. */
export async function delegateTask(run: TicketRun, args: DelegateArgs): Promise<TicketWorkflowState> {
  throwIfRefused(checkDelegate(run.state, args, run));
  const { index, step } = run.current()!;
  const result = delegate(step, args.actorId, args.toUserId, args.until);
  if (!result.ok) throw new Error('unreachable: checked above');
  run.setStep(index, result.value);
  await run.emit(
    'delegated',
    args.actorId,
    {
      step: index,
      from: args.actorId,
      to: args.toUserId,
      until: args.until ? new Date(args.until).toISOString() : null,
      ...(args.comment !== undefined ? { comment: args.comment } : {}),
    },
    [args.toUserId],
  );
  return run.state;
}

/** Hands tasks whose delegation ran out back to their approvers. */
export async function revertDelegations(run: TicketRun): Promise<void> {
  const current = run.current();
  if (!current) return;
  const reverted = revertExpiredDelegations(current.step, run.now());
  if (reverted === current.step) return;
  run.setStep(current.index, reverted);
  for (const [i, before] of current.step.approvers.entries()) {
    if (!before.delegatedTo || reverted.approvers[i]?.delegatedTo) continue;
    await run.emit(
      'delegation_reverted',
      null,
      { step: current.index, approver: before.userId, delegate: before.delegatedTo, until: before.delegatedUntil },
      [before.userId, before.delegatedTo],
    );
  }
}

// ---- resubmission ------------------------------------------------------------------------------------

/** Why the ticket cannot be resubmitted by this actor now, or null. */
export function checkResubmit(state: TicketWorkflowState, args: ResubmitArgs, run: TicketRun) {
  if (args.actorId !== run.input.requester.id) {
    return refused('forbidden', 'Only the requester can resubmit the ticket.');
  }
  const result = transition(state.status, 'resubmit', { isRequester: true, roles: [] });
  return result.ok ? null : result;
}

/** Sends a returned ticket back to the step that returned it, with freshly resolved approvers. */
export async function resubmit(run: TicketRun, args: ResubmitArgs): Promise<TicketWorkflowState> {
  throwIfRefused(checkResubmit(run.state, args, run));
  const index = run.state.returnedAtStep ?? 0;
  run.patch({ status: 'pending_approval', returnedAtStep: null });
  await run.emit('resubmitted', args.actorId, {
    from: 'returned',
    to: 'pending_approval',
    step: index,
    ...(args.title !== undefined ? { title: args.title } : {}),
    ...(args.comment !== undefined ? { comment: args.comment } : {}),
  });
  await startStepAt(run, index);
  return run.state;
}

// ---- timers --------------------------------------------------------------------------------------------

/** A reminder to everyone who still has to act, and the next one scheduled. */
export async function remind(run: TicketRun): Promise<void> {
  const current = run.current();
  if (!current) return;
  const definition = run.chainStep(current.index);
  const now = run.now().getTime();
  const dueAt = run.state.approval?.nextReminderAt ?? null;
  let next: number | null = null;
  if (definition.remindAfter) {
    // Counted from the due instant, so the series does not drift; from now if the worker was away for long.
    next = addBusinessDuration(run.calendar, dueAt ? Date.parse(dueAt) : now, definition.remindAfter).getTime();
    if (next <= now) next = addBusinessDuration(run.calendar, now, definition.remindAfter).getTime();
  }
  run.patchApproval({ nextReminderAt: next === null ? null : new Date(next).toISOString() });
  const pending = run.pendingApprovers();
  await run.emit('reminded', null, { step: current.index, name: current.step.name, to: pending, dueAt }, pending);
}

/** The step's `escalateAfter` has passed: reject, or bring in the escalation targets. */
export async function escalateStep(run: TicketRun): Promise<void> {
  const current = run.current();
  if (!current) return;
  const { index } = current;
  const definition = run.chainStep(index);
  const silent = silentApproverIds(current.step);
  const dueAt = run.state.approval?.nextEscalationAt ?? null;
  run.patchApproval({ nextEscalationAt: null });

  if (definition.onTimeout === 'reject') {
    run.setStep(index, { ...current.step, status: 'rejected', finishedAt: run.now().toISOString() });
    await concludeChain(run, 'rejected', null, { step: index, reason: 'timeout', silent, dueAt });
    return;
  }

  const targets: Record<string, string[]> = {};
  let step: StepState = current.step;
  for (const silentId of silent) {
    const target = definition.escalateTo;
    const found = target
      ? await orElse(
          `Resolving escalation targets for ${silentId}`,
          () =>
            lookups.resolveEscalationTargets({
              ticketId: run.input.ticketId,
              target,
              silentIds: [silentId],
              requester: run.input.requester,
            }),
          () => [],
        )
      : [];
    targets[silentId] = found;
    for (const target of found) {
      const result = step.mode === 'any' ? addApprover(step, target) : escalate(step, silentId, target);
      if (result.ok) step = result.value;
    }
  }
  run.setStep(index, step);
  const everyone = [...new Set(Object.values(targets).flat())];
  await run.emit(
    'escalated',
    null,
    {
      step: index,
      name: step.name,
      silent,
      targets,
      dueAt,
      mode: step.mode === 'any' ? 'added_as_approver' : 'in_place',
      ...(everyone.length === 0 ? { reason: definition.escalateTo ? 'no_targets' : 'no_escalation_target' } : {}),
    },
    [...everyone, ...silent],
  );
}
