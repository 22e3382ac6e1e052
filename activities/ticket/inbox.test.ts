import type { StepApprover } from '../../domain/approval-chain';
import type { ApprovalState } from '../../workflows/ticket/definitions';
import { deriveTasks } from './inbox';

const T0 = '2026-12-07T09:00:00.000Z';
const approval = (approvers: StepApprover[]): ApprovalState => ({
  chainId: 'c',
  chainVersion: 1,
  currentStep: 0,
  steps: [{ name: 'Review', mode: 'any', status: 'pending', approvers, startedAt: T0, finishedAt: null }],
  nextReminderAt: null,
  nextEscalationAt: '2026-12-08T09:00:00.000Z',
});
const a = (userId: string, extra: Partial<StepApprover> = {}): StepApprover => ({
  userId,
  decision: null,
  decidedAt: null,
  ...extra,
});
const summary = (approvers: StepApprover[], at = T0) =>
  deriveTasks({ status: 'pending_approval', approval: approval(approvers) }, at).map((r) => [
    r.userId,
    r.onBehalfOf,
    r.status,
  ]);

describe('approval inbox derived from the live state', () => {
  it('keeps one row per user when an approver is also a delegate, showing the pending work', () => {
    expect(summary([a('ann', { delegatedTo: 'ben' }), a('ben', { decision: 'approve', decidedAt: T0 })])).toEqual([
      ['ann', null, 'pending'],
      ['ben', 'ann', 'pending'],
    ]);
  });

  it('closes a delegate’s task once the delegation ran out, before the workflow reverts it', () => {
    const approvers = [a('ann', { delegatedTo: 'ben', delegatedUntil: '2026-12-07T12:00:00.000Z' })];
    expect(summary(approvers, '2026-12-07T11:00:00.000Z')).toContainEqual(['ben', 'ann', 'pending']);
    expect(summary(approvers, '2026-12-07T12:00:00.000Z')).toContainEqual(['ben', 'ann', 'closed']);
  });

  it('gives escalation targets a task on behalf of the silent approver, closed when someone else decides', () => {
    expect(summary([a('ann', { escalatedTo: ['mia'] })])).toEqual([
      ['ann', null, 'pending'],
      ['mia', 'ann', 'pending'],
    ]);
    expect(summary([a('ann', { escalatedTo: ['mia'], decision: 'reject', decidedAt: T0 })])).toEqual([
      ['ann', null, 'rejected'],
      ['mia', 'ann', 'closed'],
    ]);
  });

  it('has no tasks for steps that have not started', () => {
    const state = approval([a('ann')]);
    state.steps[0]!.startedAt = null;
    expect(deriveTasks({ status: 'pending_approval', approval: state }, T0)).toEqual([]);
    expect(deriveTasks({ status: 'approved', approval: null }, T0)).toEqual([]);
  });
});
