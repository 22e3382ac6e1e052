import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { StepApprover } from '../../domain/approval-chain';
import { ApprovalTask, Notification, Ticket, TicketHistory } from '../../models';
import { buildUser, createHarness, type Harness } from '../../test/harness';
import type {
  ApprovalState,
  TicketEvent,
  TicketEventType,
  TicketWorkflowState,
} from '../../workflows/ticket/definitions';
import { createTicketActivities, type TicketActivities } from '.';

const T0 = '2026-12-07T09:00:00.000Z';
const DUE = '2026-12-08T09:00:00.000Z';
const sla = {
  responseDueAt: null,
  resolutionDueAt: null,
  breached: false,
  respondedAt: null,
  resolvedAt: null,
  breaches: [],
};

/** A two-step approval state: step 0 "Manager" running with the given approvers, step 1 "Finance" not started. */
function approval(approvers: StepApprover[], status: 'pending' | 'approved' = 'pending'): ApprovalState {
  return {
    chainId: randomUUID(),
    chainVersion: 1,
    currentStep: status === 'pending' ? 0 : null,
    steps: [
      { name: 'Manager', mode: 'all', status, approvers, startedAt: T0, finishedAt: status === 'pending' ? null : T0 },
      { name: 'Finance', mode: 'any', status: 'pending', approvers: [], startedAt: null, finishedAt: null },
    ],
    nextReminderAt: null,
    nextEscalationAt: status === 'pending' ? DUE : null,
  };
}

const undecided = (userId: string, extra: Partial<StepApprover> = {}): StepApprover => ({
  userId,
  decision: null,
  decidedAt: null,
  ...extra,
});

function state(eventSeq: number, approvalState: ApprovalState | null, extra: Partial<TicketWorkflowState> = {}) {
  return {
    status: 'pending_approval',
    approval: approvalState,
    sla,
    assigneeId: null,
    resolution: null,
    returnedAtStep: null,
    eventSeq,
    updatedAt: new Date(Date.parse(T0) + eventSeq * 60_000).toISOString(),
    ...extra,
  } satisfies TicketWorkflowState;
}

/** recordTicketEvent against the real tables: history, projection, inbox and notifications. */
describe('ticket activities: recordTicketEvent (PostgreSQL)', () => {
  let h: Harness;
  let acts: TicketActivities;
  let requester: string;
  let alice: string;
  let bob: string;
  let dana: string;

  const event = (ticketId: string, type: TicketEventType, extra: Partial<TicketEvent> = {}): TicketEvent => ({
    eventId: randomUUID(),
    type,
    ticketId,
    at: T0,
    actorId: null,
    detail: {},
    notify: [],
    ...extra,
  });

  async function newTicket() {
    return Ticket.create({
      title: 'New laptop',
      description: 'The old one is broken.',
      category: 'hardware',
      priority: 'normal',
      fields: {},
      status: 'draft',
      requesterId: requester,
      departmentId: null,
      assigneeId: null,
      chainId: null,
      chainVersion: null,
      approval: null,
      sla: null,
      resolution: null,
      submittedAt: null,
    });
  }

  const tasks = async (ticketId: string) =>
    (await ApprovalTask.findAll({ where: { ticketId }, order: [['userId', 'ASC']] })).map((t) => ({
      stepIndex: t.stepIndex,
      stepName: t.stepName,
      userId: t.userId,
      onBehalfOf: t.onBehalfOf,
      status: t.status,
      requestedAt: t.requestedAt.toISOString(),
      dueAt: t.dueAt?.toISOString() ?? null,
      decidedAt: t.decidedAt?.toISOString() ?? null,
    }));

  beforeAll(async () => {
    h = await createHarness();
    await h.reset();
    acts = createTicketActivities(h.infra);
    requester = (await buildUser({ displayName: 'Rita Requester' })).id;
    alice = (await buildUser({ displayName: 'Alice', roles: ['approver'] })).id;
    bob = (await buildUser({ displayName: 'Bob', roles: ['approver'] })).id;
    dana = (await buildUser({ displayName: 'Dana' })).id;
  });

  afterAll(async () => {
    await h.close();
  });

  it('writes the history entry and each notification once when the same event is recorded twice', async () => {
    const ticket = await newTicket();
    const started = event(ticket.id, 'step_started', { detail: { step: 0 }, notify: [alice, bob, alice] });
    const s1 = state(1, approval([undecided(alice), undecided(bob)]));
    await acts.recordTicketEvent({ event: started, state: s1 });
    await acts.recordTicketEvent({ event: started, state: s1 });

    const history = await TicketHistory.findAll({ where: { ticketId: ticket.id } });
    expect(history.map((e) => ({ id: e.id, type: e.type, seq: e.seq, detail: e.detail }))).toEqual([
      { id: started.eventId, type: 'step_started', seq: 1, detail: { step: 0 } },
    ]);
    const notes = await Notification.findAll({ where: { eventId: started.eventId }, order: [['userId', 'ASC']] });
    expect(notes.map((n) => n.userId)).toEqual([alice, bob].sort());
    expect(notes[0]!.title).toBe(`Approval needed: #${ticket.number} New laptop`);
    expect(notes[0]!.body).toContain('step "Manager"');
    expect(notes[0]!.type).toBe('step_started');

    await ticket.reload();
    expect(ticket.status).toBe('pending_approval');
    expect(ticket.eventSeq).toBe(1);
    expect(ticket.approval).toEqual(s1.approval);
    expect(ticket.updatedAt.toISOString()).toBe(s1.updatedAt);
  });

  it('moves inbox rows from pending to approved once a decision is recorded, and closes the rest when the step ends', async () => {
    const ticket = await newTicket();
    await acts.recordTicketEvent({
      event: event(ticket.id, 'step_started', { notify: [alice, bob] }),
      state: state(1, approval([undecided(alice), undecided(bob)])),
    });
    const pending = { stepIndex: 0, stepName: 'Manager', onBehalfOf: null, requestedAt: T0, decidedAt: null };
    expect(await tasks(ticket.id)).toEqual(
      [alice, bob].sort().map((userId) => ({ ...pending, userId, status: 'pending', dueAt: DUE })),
    );

    const decidedAt = '2026-12-07T10:00:00.000Z';
    const aliceApproved = { userId: alice, decision: 'approve' as const, decidedAt };
    await acts.recordTicketEvent({
      event: event(ticket.id, 'decided', {
        actorId: alice,
        detail: { step: 0, name: 'Manager', decision: 'approve' },
        notify: [requester],
      }),
      state: state(2, approval([aliceApproved, undecided(bob)])),
    });
    const rows = await tasks(ticket.id);
    expect(rows.find((r) => r.userId === alice)).toEqual({
      ...pending,
      userId: alice,
      status: 'approved',
      dueAt: null,
      decidedAt,
    });
    expect(rows.find((r) => r.userId === bob)).toMatchObject({ status: 'pending', dueAt: DUE });
    const [note] = await Notification.findAll({ where: { ticketId: ticket.id, userId: requester } });
    expect(note!.title).toBe(`Decision recorded: #${ticket.number} New laptop`);
    expect(note!.body).toContain('Alice approved');

    // The ticket is cancelled while Bob has not decided: his task closes.
    await acts.recordTicketEvent({
      event: event(ticket.id, 'status_changed', { actorId: requester, notify: [alice, bob] }),
      state: state(3, approval([aliceApproved, undecided(bob)]), { status: 'cancelled' }),
    });
    expect((await tasks(ticket.id)).map((r) => [r.userId, r.status])).toEqual(
      [
        [alice, 'approved'],
        [bob, 'closed'],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
  });

  it('gives a delegate a task on behalf of the approver, and closes it when the delegation is reverted', async () => {
    const ticket = await newTicket();
    const until = '2026-12-20T00:00:00.000Z';
    await acts.recordTicketEvent({
      event: event(ticket.id, 'delegated', {
        actorId: bob,
        detail: { step: 0, from: bob, to: dana, until },
        notify: [dana],
      }),
      state: state(2, approval([undecided(alice), undecided(bob, { delegatedTo: dana, delegatedUntil: until })])),
    });
    const byUser = async () => new Map((await tasks(ticket.id)).map((r) => [r.userId, r]));
    let rows = await byUser();
    expect(rows.get(dana)).toMatchObject({ onBehalfOf: bob, status: 'pending', dueAt: DUE, requestedAt: T0 });
    expect(rows.get(bob)).toMatchObject({ onBehalfOf: null, status: 'pending' });
    const [note] = await Notification.findAll({ where: { ticketId: ticket.id, userId: dana } });
    expect(note!.title).toBe(`Approval delegated to you: #${ticket.number} New laptop`);
    expect(note!.body).toContain('Bob asked you');

    await acts.recordTicketEvent({
      event: event(ticket.id, 'delegation_reverted', { detail: { step: 0, approver: bob, delegate: dana } }),
      state: state(3, approval([undecided(alice), undecided(bob)])),
    });
    rows = await byUser();
    expect(rows.get(dana)).toMatchObject({ status: 'closed', dueAt: null });
    expect(rows.get(bob)).toMatchObject({ status: 'pending' });

    // A delegate who decides: their task and the approver's show the decision.
    await acts.recordTicketEvent({
      event: event(ticket.id, 'decided', { actorId: dana }),
      state: state(
        4,
        approval([
          undecided(alice),
          {
            userId: bob,
            decision: 'reject',
            decidedAt: T0,
            decidedBy: dana,
            delegatedTo: dana,
            delegatedUntil: until,
          },
        ]),
        { status: 'rejected' },
      ),
    });
    rows = await byUser();
    expect(rows.get(dana)).toMatchObject({ onBehalfOf: bob, status: 'rejected', decidedAt: T0 });
    expect(rows.get(bob)).toMatchObject({ status: 'rejected' });
    expect(rows.get(alice)).toMatchObject({ status: 'closed' });
  });

  it('never lets an older event retried late overwrite the projection or the inbox of a newer one', async () => {
    const ticket = await newTicket();
    const decided = { userId: alice, decision: 'approve' as const, decidedAt: T0 };
    const newer = state(5, approval([decided], 'approved'), { status: 'approved', assigneeId: dana });
    const older = state(2, approval([undecided(alice)]));
    await acts.recordTicketEvent({ event: event(ticket.id, 'status_changed'), state: newer });
    const late = event(ticket.id, 'step_started', { notify: [alice] });
    await acts.recordTicketEvent({ event: late, state: older });

    await ticket.reload();
    expect(ticket.eventSeq).toBe(5);
    expect(ticket.status).toBe('approved');
    expect(ticket.assigneeId).toBe(dana);
    expect(ticket.approval).toEqual(newer.approval);
    expect(await tasks(ticket.id)).toEqual([expect.objectContaining({ userId: alice, status: 'approved' })]);
    // History and notifications are facts of their own event and are still kept.
    expect(await TicketHistory.count({ where: { ticketId: ticket.id } })).toBe(2);
    expect(await Notification.count({ where: { eventId: late.eventId } })).toBe(1);
  });

  it('fails without retries for a ticket that does not exist, writing nothing', async () => {
    const missing = event(randomUUID(), 'submitted');
    const failure = await acts.recordTicketEvent({ event: missing, state: state(1, null) }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ticket_not_found', nonRetryable: true });
    expect(await TicketHistory.count({ where: { id: missing.eventId } })).toBe(0);
  });

  it('rolls the whole event back when any write fails, so a retry starts clean', async () => {
    const ticket = await newTicket();
    // The inbox write fails (a step start that is not a time) after the history and projection were written.
    const bad = approval([undecided(alice)]);
    bad.steps[0]!.startedAt = 'not a time';
    const broken = event(ticket.id, 'step_started', { notify: [alice] });
    const failure = await acts.recordTicketEvent({ event: broken, state: state(1, bad) }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ nonRetryable: true, type: 'invalid_input' });
    await ticket.reload();
    expect(ticket.eventSeq).toBe(0);
    expect(ticket.status).toBe('draft');
    expect(await TicketHistory.count({ where: { id: broken.eventId } })).toBe(0);
    expect(await Notification.count({ where: { eventId: broken.eventId } })).toBe(0);
  });
});
