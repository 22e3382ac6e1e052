import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { type ApprovalChainDefinition } from '../../domain/approval-chain';
import { type ActArgs, actUpdate, decideUpdate, delegateUpdate, resubmitUpdate } from './definitions';
import {
  type TicketTestEnv,
  REQUESTER,
  createTicketTestEnv,
  maybeRecordHistory,
  newTicketId,
  queryState,
  startTicket,
  waitForEvents,
} from './test-harness';

const threeSteps: ApprovalChainDefinition = {
  name: 'Purchase',
  category: 'purchase',
  steps: [
    { name: 'manager', mode: 'all', approvers: [{ type: 'manager' }] },
    { name: 'finance', mode: 'all', approvers: [{ type: 'role', value: 'finance' }] },
    { name: 'cio', mode: 'any', approvers: [{ type: 'user', value: 'cio' }] },
  ],
  sla: { response: 'P1D', resolution: 'P5D' },
};

const cancelByRequester: ActArgs = { actorId: REQUESTER.id, roles: [], isRequester: true, action: 'cancel' };

/** The update's failure type (the refusal code), or throws when the update did not fail. */
async function refusalOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    return (cause as ApplicationFailure).type ?? undefined;
  }
  throw new Error('Expected the update to be refused');
}

describe('ticketWorkflow approval chain', () => {
  let t: TicketTestEnv;

  beforeAll(async () => {
    t = await createTicketTestEnv('ticket-approval-test');
  });

  afterAll(async () => {
    await t?.teardown();
  });

  it('approves a three-step chain step by step, then auto-assigns', async () => {
    const ticketId = newTicketId('approved');
    const handle = await startTicket(t, {
      ticketId,
      chain: threeSteps,
      scenario: { approvers: { manager: ['manager'], finance: ['fin-1', 'fin-2'], cio: ['cio'] }, assignee: 'agent-1' },
    });
    await waitForEvents(t, ticketId, 'step_started');
    let state = await queryState(handle);
    expect(state.status).toBe('pending_approval');
    expect(state.approval?.currentStep).toBe(0);
    expect(state.sla.responseDueAt).not.toBeNull();

    state = await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'manager', decision: 'approve' }] });
    expect(state.approval?.currentStep).toBe(1);
    expect(state.approval?.steps[0]?.status).toBe('approved');
    expect(state.sla.respondedAt).not.toBeNull();

    state = await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'fin-1', decision: 'approve' }] });
    expect(state.approval?.currentStep).toBe(1);
    state = await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'fin-2', decision: 'approve' }] });
    expect(state.approval?.currentStep).toBe(2);
    state = await handle.executeUpdate(decideUpdate, {
      args: [{ actorId: 'cio', decision: 'approve', comment: 'ok' }],
    });
    expect(state.status).toBe('approved');
    expect(state.assigneeId).toBe('agent-1');
    expect(state.approval?.currentStep).toBeNull();
    expect(state.approval?.steps.map((s) => s.status)).toEqual(['approved', 'approved', 'approved']);

    expect(t.fakes.types(ticketId)).toEqual([
      'submitted',
      'step_started',
      'decided',
      'step_started',
      'decided',
      'decided',
      'step_started',
      'decided',
      'status_changed',
      'assigned',
    ]);
    await maybeRecordHistory(handle, 'approved-chain');
  });

  it('rejects at step two: the chain ends rejected, later steps are skipped, the run completes', async () => {
    const ticketId = newTicketId('rejected');
    const handle = await startTicket(t, {
      ticketId,
      chain: threeSteps,
      scenario: { approvers: { manager: ['manager'], finance: ['fin-1', 'fin-2'], cio: ['cio'] } },
    });
    await waitForEvents(t, ticketId, 'step_started');
    await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'manager', decision: 'approve' }] });
    const state = await handle.executeUpdate(decideUpdate, {
      args: [{ actorId: 'fin-1', decision: 'reject', comment: 'too expensive' }],
    });
    expect(state.status).toBe('rejected');
    expect(state.approval?.steps.map((s) => s.status)).toEqual(['approved', 'rejected', 'skipped']);
    expect(state.approval?.nextReminderAt).toBeNull();
    const final = await handle.result();
    expect(final.status).toBe('rejected');
    const last = t.fakes.events(ticketId).at(-1)!;
    expect(last).toMatchObject({
      type: 'status_changed',
      actorId: 'fin-1',
      detail: { from: 'pending_approval', to: 'rejected', action: 'reject_chain' },
      notify: [REQUESTER.id],
    });
    // The run is over: the API answers 409 for a finished ticket itself.
    await expect(
      handle.executeUpdate(decideUpdate, { args: [{ actorId: 'fin-2', decision: 'approve' }] }),
    ).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('returns to the requester and, resubmitted, continues at the step that returned it with fresh approvers', async () => {
    const ticketId = newTicketId('returned');
    const handle = await startTicket(t, {
      ticketId,
      chain: threeSteps,
      scenario: {
        approvers: {
          manager: ['manager'],
          finance: (call) => (call === 1 ? ['fin-1', 'fin-2'] : ['fin-1', 'fin-3']),
          cio: ['cio'],
        },
        assignee: null,
      },
    });
    await waitForEvents(t, ticketId, 'step_started');
    await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'manager', decision: 'approve' }] });
    await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'fin-2', decision: 'approve' }] });
    let state = await handle.executeUpdate(decideUpdate, {
      args: [{ actorId: 'fin-1', decision: 'return', comment: 'attach the quote' }],
    });
    expect(state.status).toBe('returned');
    expect(state.returnedAtStep).toBe(1);
    expect(state.approval?.steps[1]?.status).toBe('returned');
    expect(t.fakes.events(ticketId).at(-1)).toMatchObject({ type: 'returned', notify: [REQUESTER.id] });

    expect(
      await refusalOf(handle.executeUpdate(decideUpdate, { args: [{ actorId: 'fin-2', decision: 'approve' }] })),
    ).toBe('not_pending');
    expect(await refusalOf(handle.executeUpdate(resubmitUpdate, { args: [{ actorId: 'fin-1' }] }))).toBe('forbidden');

    state = await handle.executeUpdate(resubmitUpdate, {
      args: [{ actorId: REQUESTER.id, comment: 'quote attached' }],
    });
    expect(state.status).toBe('pending_approval');
    expect(state.returnedAtStep).toBeNull();
    expect(state.approval?.currentStep).toBe(1);
    expect(state.approval?.steps[0]?.status).toBe('approved');
    expect(state.approval?.steps[1]).toMatchObject({
      status: 'pending',
      approvers: [
        { userId: 'fin-1', decision: null },
        { userId: 'fin-3', decision: null },
      ],
    });
    expect(await refusalOf(handle.executeUpdate(resubmitUpdate, { args: [{ actorId: REQUESTER.id }] }))).toBe(
      'invalid_transition',
    );

    await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'fin-1', decision: 'approve' }] });
    await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'fin-3', decision: 'approve' }] });
    state = await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'cio', decision: 'approve' }] });
    expect(state.status).toBe('approved');
    expect(state.assigneeId).toBeNull();
    expect(t.fakes.types(ticketId)).toEqual([
      'submitted',
      'step_started',
      'decided',
      'step_started',
      'decided',
      'decided',
      'returned',
      'resubmitted',
      'step_started',
      'decided',
      'decided',
      'step_started',
      'decided',
      'status_changed',
    ]);
    await maybeRecordHistory(handle, 'returned-resubmitted');
  });

  it('approves a quorum step with 2 of 3 approvals', async () => {
    const ticketId = newTicketId('quorum');
    const chain: ApprovalChainDefinition = {
      name: 'Board',
      category: 'board',
      steps: [{ name: 'board', mode: 'quorum', quorum: 2, approvers: [{ type: 'role', value: 'board' }] }],
    };
    const handle = await startTicket(t, { ticketId, chain, scenario: { approvers: { board: ['b-1', 'b-2', 'b-3'] } } });
    await waitForEvents(t, ticketId, 'step_started');
    let state = await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'b-1', decision: 'approve' }] });
    expect(state.approval?.steps[0]?.status).toBe('pending');
    state = await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'b-2', decision: 'reject' }] });
    expect(state.approval?.steps[0]?.status).toBe('pending');
    expect(state.status).toBe('pending_approval');
    state = await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'b-3', decision: 'approve' }] });
    expect(state.approval?.steps[0]).toMatchObject({ status: 'approved', quorum: 2 });
    expect(state.status).toBe('approved');
  });

  it('refuses a duplicate decision (already_decided) and a non-approver (not_an_approver)', async () => {
    const ticketId = newTicketId('refusals');
    const handle = await startTicket(t, {
      ticketId,
      chain: threeSteps,
      scenario: { approvers: { manager: ['manager', 'deputy'], finance: ['fin-1'], cio: ['cio'] } },
    });
    await waitForEvents(t, ticketId, 'step_started');
    await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'manager', decision: 'approve' }] });
    expect(
      await refusalOf(handle.executeUpdate(decideUpdate, { args: [{ actorId: 'manager', decision: 'approve' }] })),
    ).toBe('already_decided');
    expect(
      await refusalOf(handle.executeUpdate(decideUpdate, { args: [{ actorId: 'stranger', decision: 'approve' }] })),
    ).toBe('not_an_approver');
    expect(
      await refusalOf(handle.executeUpdate(delegateUpdate, { args: [{ actorId: 'stranger', toUserId: 'x' }] })),
    ).toBe('not_an_approver');
    expect(
      await refusalOf(handle.executeUpdate(delegateUpdate, { args: [{ actorId: 'deputy', toUserId: REQUESTER.id }] })),
    ).toBe('invalid_delegation');

    const state = await queryState(handle);
    const step = state.approval!.steps[0]!;
    expect(step.approvers.filter((a) => a.decision !== null)).toEqual([
      expect.objectContaining({ userId: 'manager', decision: 'approve' }),
    ]);
    expect(t.fakes.types(ticketId).filter((type) => type === 'decided')).toHaveLength(1);
    await handle.executeUpdate(actUpdate, { args: [cancelByRequester] });
    expect(await handle.result()).toMatchObject({ status: 'cancelled' });
  });

  it('reverts a delegation when it runs out: the approver acts again, the delegate is refused', async () => {
    const ticketId = newTicketId('delegation');
    const handle = await startTicket(t, {
      ticketId,
      chain: threeSteps,
      scenario: { approvers: { manager: ['manager'], finance: ['fin-1'], cio: ['cio'] } },
    });
    await waitForEvents(t, ticketId, 'step_started');
    const until = new Date((await t.env.currentTimeMs()) + 2 * 3_600_000).toISOString();
    let state = await handle.executeUpdate(delegateUpdate, {
      args: [{ actorId: 'manager', toUserId: 'deputy', until, comment: 'on leave' }],
    });
    expect(state.approval?.steps[0]?.approvers[0]).toMatchObject({ delegatedTo: 'deputy', delegatedUntil: until });
    expect(t.fakes.events(ticketId).at(-1)).toMatchObject({ type: 'delegated', notify: ['deputy'] });

    await t.env.sleep('3 hours');
    const [reverted] = await waitForEvents(t, ticketId, 'delegation_reverted');
    expect(reverted).toMatchObject({ actorId: null, detail: { approver: 'manager', delegate: 'deputy' } });
    expect(Date.parse(reverted!.at)).toBeGreaterThanOrEqual(Date.parse(until));
    state = await queryState(handle);
    expect(state.approval?.steps[0]?.approvers[0]?.delegatedTo).toBeNull();

    expect(
      await refusalOf(handle.executeUpdate(decideUpdate, { args: [{ actorId: 'deputy', decision: 'approve' }] })),
    ).toBe('not_an_approver');
    state = await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'manager', decision: 'approve' }] });
    expect(state.approval?.steps[0]?.status).toBe('approved');
    expect(state.approval?.currentStep).toBe(1);
    await handle.executeUpdate(actUpdate, { args: [cancelByRequester] });
    expect(await handle.result()).toMatchObject({ status: 'cancelled' });
  });
});
