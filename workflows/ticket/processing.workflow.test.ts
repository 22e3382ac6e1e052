import { WorkflowUpdateFailedError } from '@temporalio/client';
import { type ApplicationFailure } from '@temporalio/common';
import { type ApprovalChainDefinition } from '../../domain/approval-chain';
import { type ActArgs, actUpdate, decideUpdate } from './definitions';
import { TICKET_APPROVER_IDS, TICKET_STATUS } from './search-attributes';
import {
  type TicketTestEnv,
  REQUESTER,
  createTicketTestEnv,
  newTicketId,
  queryState,
  startTicket,
  waitForEvents,
} from './test-harness';

async function refusalOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((err as WorkflowUpdateFailedError).cause as ApplicationFailure).type ?? undefined;
  }
  throw new Error('Expected the update to be refused');
}

const agent = (action: ActArgs['action'], extra: Partial<ActArgs> = {}): ActArgs => ({
  actorId: 'agent-1',
  roles: ['agent'],
  isRequester: false,
  action,
  ...extra,
});
const requester = (action: ActArgs['action']): ActArgs => ({
  actorId: REQUESTER.id,
  roles: ['requester'],
  isRequester: true,
  action,
});

const oneStep: ApprovalChainDefinition = {
  name: 'Simple',
  category: 'simple',
  steps: [{ name: 'lead', mode: 'any', approvers: [{ type: 'user', value: 'lead' }], remindAfter: 'PT2H' }],
};

// No workflow cache: every workflow task replays the run from its history, so anything the workflow derived
// non-deterministically (event ids, state) would show up as a mismatch between recorded and published events.
describe('ticketWorkflow processing (worker without a workflow cache)', () => {
  let t: TicketTestEnv;

  beforeAll(async () => {
    t = await createTicketTestEnv('ticket-processing-test', { maxCachedWorkflows: 0 });
  });

  afterAll(async () => {
    await t?.teardown();
  });

  it('carries an approved ticket through assigned, in progress, resolved and closed', async () => {
    const ticketId = newTicketId('processing');
    const handle = await startTicket(t, { ticketId, chain: null, scenario: { approvers: {}, assignee: 'agent-1' } });
    await waitForEvents(t, ticketId, 'assigned');
    let state = await queryState(handle);
    expect(state).toMatchObject({ status: 'approved', assigneeId: 'agent-1', approval: null });
    expect(state.sla.respondedAt).not.toBeNull();
    expect(t.fakes.events(ticketId)[0]).toMatchObject({ type: 'submitted', detail: { to: 'approved' } });

    expect(await refusalOf(handle.executeUpdate(actUpdate, { args: [agent('close')] }))).toBe('invalid_transition');
    expect(await refusalOf(handle.executeUpdate(actUpdate, { args: [requester('resolve')] }))).toBe('forbidden');

    state = await handle.executeUpdate(actUpdate, { args: [agent('start')] });
    expect(state).toMatchObject({ status: 'in_progress', assigneeId: 'agent-1' });
    expect(await refusalOf(handle.executeUpdate(actUpdate, { args: [agent('start')] }))).toBe('invalid_transition');
    expect(await refusalOf(handle.executeUpdate(actUpdate, { args: [agent('resolve')] }))).toBe('invalid_request');

    state = await handle.executeUpdate(actUpdate, { args: [agent('resolve', { resolution: 'Replaced the toner' })] });
    expect(state).toMatchObject({ status: 'resolved', resolution: 'Replaced the toner' });
    expect(state.sla.resolvedAt).not.toBeNull();

    state = await handle.executeUpdate(actUpdate, { args: [requester('reopen')] });
    expect(state).toMatchObject({ status: 'in_progress', resolution: null });
    await handle.executeUpdate(actUpdate, { args: [agent('resolve', { resolution: 'New cartridge' })] });
    state = await handle.executeUpdate(actUpdate, { args: [requester('close')] });
    expect(state.status).toBe('closed');

    const final = await handle.result();
    expect(final).toMatchObject({ status: 'closed', resolution: 'New cartridge', assigneeId: 'agent-1' });
    expect(t.fakes.types(ticketId)).toEqual([
      'submitted',
      'assigned',
      'status_changed', // in_progress
      'status_changed', // resolved
      'status_changed', // reopened
      'status_changed', // resolved
      'status_changed', // closed
    ]);
    expect(
      t.fakes
        .events(ticketId)
        .slice(2)
        .map((e) => e.detail.to),
    ).toEqual(['in_progress', 'resolved', 'in_progress', 'resolved', 'closed']);
    expect((await handle.describe()).typedSearchAttributes.get(TICKET_STATUS)).toBe('closed');
  });

  it('resumes a closed ticket from its carried-over state and reopens it', async () => {
    const ticketId = newTicketId('reopen');
    const first = await startTicket(t, { ticketId, chain: null, scenario: { approvers: {}, assignee: 'agent-1' } });
    await waitForEvents(t, ticketId, 'assigned');
    await first.executeUpdate(actUpdate, { args: [agent('resolve', { resolution: 'Done' })] });
    await first.executeUpdate(actUpdate, { args: [requester('close')] });
    const closed = await first.result();
    const seq = closed.eventSeq;

    // The API starts a new run with the same id and the state, then sends the reopen.
    const handle = await startTicket(t, { ticketId, chain: null, scenario: { approvers: {} }, state: closed });
    const state = await handle.executeUpdate(actUpdate, { args: [requester('reopen')] });
    expect(state).toMatchObject({ status: 'in_progress', assigneeId: 'agent-1', resolution: null });
    expect(state.sla.resolvedAt).toBeNull();
    expect(state.eventSeq).toBe(seq + 1);
    // No second submission or assignment.
    expect(t.fakes.types(ticketId).filter((type) => type === 'submitted' || type === 'assigned')).toHaveLength(2);
    expect((await handle.describe()).typedSearchAttributes.get(TICKET_STATUS)).toBe('in_progress');
    await handle.executeUpdate(actUpdate, { args: [agent('resolve', { resolution: 'Again' })] });
    await handle.executeUpdate(actUpdate, { args: [requester('close')] });
    expect(await handle.result()).toMatchObject({ status: 'closed', resolution: 'Again' });
  });

  it('cancels a ticket pending approval: timers stop, the run ends', async () => {
    const ticketId = newTicketId('cancel');
    const handle = await startTicket(t, { ticketId, chain: oneStep, scenario: { approvers: { lead: ['lead'] } } });
    await waitForEvents(t, ticketId, 'step_started');
    expect(await refusalOf(handle.executeUpdate(actUpdate, { args: [agent('cancel')] }))).toBe('forbidden');
    const state = await handle.executeUpdate(actUpdate, { args: [requester('cancel')] });
    expect(state.status).toBe('cancelled');
    expect(state.approval?.nextReminderAt).toBeNull();
    expect(await handle.result()).toMatchObject({ status: 'cancelled' });
    expect(t.fakes.events(ticketId).at(-1)).toMatchObject({
      type: 'status_changed',
      actorId: REQUESTER.id,
      detail: { from: 'pending_approval', to: 'cancelled', action: 'cancel' },
      notify: ['lead'],
    });
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(TICKET_STATUS)).toBe('cancelled');
    expect(attributes.get(TICKET_APPROVER_IDS)).toEqual([]);
  });

  it('calls activities with deterministic event ids: retries and replays reuse them, each event is written once', async () => {
    const ticketId = newTicketId('event-ids');
    const handle = await startTicket(t, {
      ticketId,
      chain: oneStep,
      scenario: { approvers: { lead: ['lead'] }, assignee: 'agent-1', failRecordOnce: ['decided', 'step_started'] },
    });
    await waitForEvents(t, ticketId, 'step_started');
    await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'lead', decision: 'approve' }] });
    await handle.executeUpdate(actUpdate, { args: [requester('cancel')] });
    await handle.result();

    const calls = t.fakes.calls.get(ticketId)!;
    const recordIds = calls
      .filter((c) => c.name === 'recordTicketEvent')
      .map((c) => (c.input as { event: { eventId: string } }).event.eventId);
    const events = t.fakes.events(ticketId);
    const ids = events.map((e) => e.eventId);
    // Two injected failures were retried with the same event id.
    expect(recordIds).toHaveLength(ids.length + 2);
    expect(new Set(recordIds)).toEqual(new Set(ids));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Published after being recorded, in the same order, with the same ids (publishing happens in later
    // workflow tasks, i.e. after a replay without cache).
    expect(t.fakes.published.get(ticketId)!.map((e) => e.eventId)).toEqual(ids);
    // eventSeq orders them.
    expect(events.map((e) => e.detail.seq)).toEqual(events.map((_, i) => i + 1));
    expect(t.fakes.recorded.get(ticketId)!.map((r) => r.state.eventSeq)).toEqual(events.map((_, i) => i + 1));
  });

  it('carries on when an activity fails permanently (non-retryable): skips the step, loses only that entry', async () => {
    const ticketId = newTicketId('permanent');
    const chain: ApprovalChainDefinition = {
      name: 'Two',
      category: 'two',
      steps: [
        { name: 'broken', mode: 'all', approvers: [{ type: 'user', value: 'not-a-user' }] },
        { name: 'lead', mode: 'any', approvers: [{ type: 'user', value: 'lead' }] },
      ],
    };
    const handle = await startTicket(t, {
      ticketId,
      chain,
      scenario: {
        approvers: { lead: ['lead'] },
        assignee: 'agent-1',
        failPermanently: { steps: ['broken'], record: ['assigned'] },
      },
    });
    const [skipped] = await waitForEvents(t, ticketId, 'step_started');
    expect(skipped!.detail).toMatchObject({ step: 0, skipped: true, reason: 'resolution_failed' });
    await waitForEvents(t, ticketId, 'step_started', 2);
    const state = await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'lead', decision: 'approve' }] });
    expect(state).toMatchObject({ status: 'approved', assigneeId: 'agent-1' });
    expect(state.approval?.steps.map((s) => s.status)).toEqual(['skipped', 'approved']);
    // The `assigned` entry could not be stored (nor published); the next event carries the state.
    expect(t.fakes.types(ticketId)).not.toContain('assigned');
    expect(t.fakes.published.get(ticketId)!.map((e) => e.type)).not.toContain('assigned');
    await handle.executeUpdate(actUpdate, { args: [agent('start')] });
    expect(t.fakes.recorded.get(ticketId)!.at(-1)!.state).toMatchObject({
      status: 'in_progress',
      assigneeId: 'agent-1',
    });
    await handle.executeUpdate(actUpdate, { args: [requester('cancel')] });
    expect(await handle.result()).toMatchObject({ status: 'cancelled' });
  });

  it('continues as new when the history grows, keeping the state and the timers', async () => {
    const ticketId = newTicketId('can');
    const chain: ApprovalChainDefinition = {
      name: 'Three',
      category: 'three',
      steps: [
        { name: 's1', mode: 'all', approvers: [{ type: 'role', value: 'r1' }], remindAfter: 'P1D' },
        {
          name: 's2',
          mode: 'all',
          approvers: [{ type: 'role', value: 'r2' }],
          remindAfter: 'P1D',
          escalateAfter: 'P2D',
          escalateTo: 'manager',
        },
        { name: 's3', mode: 'any', approvers: [{ type: 'user', value: 'u3' }] },
      ],
    };
    const handle = await startTicket(t, {
      ticketId,
      chain,
      scenario: { approvers: { s1: ['a', 'b', 'c'], s2: ['d', 'e'], s3: ['u3'] }, escalation: { e: ['boss-e'] } },
      // About 115 history events after the third decision and 130 after the fourth: the run continues as new
      // once the fourth decision has been handled (an update racing the continue-as-new can hang on the Java
      // test server, so the test avoids that race).
      options: { maxHistoryEvents: 124 },
    });
    await waitForEvents(t, ticketId, 'step_started');
    const firstRun = (await handle.describe()).runId;
    let before = await queryState(handle);
    for (const actorId of ['a', 'b', 'c', 'd']) {
      before = await handle.executeUpdate(decideUpdate, { args: [{ actorId, decision: 'approve' }] });
    }
    // (No query here: a query racing the continue-as-new can hang on the Java test server.)
    expect(before.approval?.currentStep).toBe(1);

    const secondRun = await (async () => {
      for (let i = 0; i < 100; i++) {
        const { runId } = await handle.describe();
        if (runId !== firstRun) return runId;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the workflow did not continue as new');
    })();
    expect(secondRun).not.toBe(firstRun);

    const after = await queryState(handle);
    expect(after).toEqual(before);
    expect(after.approval?.nextReminderAt).not.toBeNull();
    expect(after.approval?.steps[1]?.approvers.find((a) => a.userId === 'd')?.decision).toBe('approve');
    // No second submission, no restarted step in the new run.
    expect(t.fakes.types(ticketId).filter((type) => type === 'submitted' || type === 'step_started')).toHaveLength(3);
    expect((await handle.describe()).typedSearchAttributes.get(TICKET_APPROVER_IDS)).toEqual(['e']);

    // The carried timers still fire in the new run: the escalation after 2 days.
    await t.env.sleep(Date.parse(after.approval!.nextEscalationAt!) + 60_000 - (await t.env.currentTimeMs()));
    await waitForEvents(t, ticketId, 'escalated');
    expect(await refusalOf(handle.executeUpdate(decideUpdate, { args: [{ actorId: 'd', decision: 'approve' }] }))).toBe(
      'already_decided',
    );
    await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'boss-e', decision: 'approve' }] });
    const state = await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'u3', decision: 'approve' }] });
    expect(state.status).toBe('approved');
    expect(state.eventSeq).toBe(t.fakes.events(ticketId).length);
    // Ended by the ticket itself: terminating runs confuses later queries on the Java test server.
    await handle.executeUpdate(actUpdate, { args: [requester('cancel')] });
    expect(await handle.result()).toMatchObject({ status: 'cancelled' });
  });
});
