import { type ApprovalChainDefinition } from '../../domain/approval-chain';
import { addBusinessDuration } from '../../domain/business-duration';
import { decideUpdate } from './definitions';
import { TICKET_APPROVER_IDS, TICKET_STATUS } from './search-attributes';
import {
  type TicketTestEnv,
  TAIPEI_CALENDAR,
  createTicketTestEnv,
  maybeRecordHistory,
  newTicketId,
  queryState,
  startTicket,
  untilNextTaipei,
  waitForEvents,
} from './test-harness';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('ticketWorkflow timers on a business calendar (Mon-Fri 09:00-18:00, Asia/Taipei)', () => {
  let t: TicketTestEnv;

  beforeAll(async () => {
    t = await createTicketTestEnv('ticket-timers-test');
  });

  afterAll(async () => {
    await t?.teardown();
  });

  it('reminds after 2 business days and escalates after 3, skipping the weekend', async () => {
    // Start on a Friday at 10:00 local time.
    await t.env.sleep(await untilNextTaipei(t.env, 5, 10));
    const start = await t.env.currentTimeMs();
    expect(new Date(start + 8 * HOUR).getUTCDay()).toBe(5);

    const chain: ApprovalChainDefinition = {
      name: 'Access',
      category: 'access',
      steps: [
        {
          name: 'owners',
          mode: 'all',
          approvers: [{ type: 'role', value: 'owner' }],
          remindAfter: 'P2D',
          escalateAfter: 'P3D',
          escalateTo: 'manager',
        },
      ],
      sla: { response: 'P1D', resolution: 'P2DT4H' },
      calendarId: 'taipei',
    };
    const ticketId = newTicketId('timers');
    const handle = await startTicket(t, {
      ticketId,
      chain,
      calendar: TAIPEI_CALENDAR,
      scenario: { approvers: { owners: ['owner-1', 'owner-2'] }, escalation: { 'owner-2': ['boss-2'] } },
    });
    await waitForEvents(t, ticketId, 'step_started');

    // Real time passes while the worker starts the step: count from the step's start (Friday ~10:00).
    let state = await queryState(handle);
    const friday = Date.parse(state.approval!.steps[0]!.startedAt!);
    expect(friday - start).toBeLessThan(60_000);
    // Friday 10:00 + 2 business days = Tuesday 10:00 (4 calendar days); + 3 = Wednesday 10:00.
    const tuesday = friday + 4 * DAY;
    const wednesday = friday + 5 * DAY;
    expect(state.approval?.nextReminderAt).toBe(iso(tuesday));
    expect(state.approval?.nextEscalationAt).toBe(iso(wednesday));
    // The same instants the domain computes.
    expect(state.approval?.nextReminderAt).toBe(addBusinessDuration(TAIPEI_CALENDAR, friday, 'P2D').toISOString());
    // SLA targets count from the submission instant.
    const submitted = Date.parse(t.fakes.events(ticketId)[0]!.detail.submittedAt as string);
    expect(state.sla.responseDueAt).toBe(iso(submitted + 3 * DAY)); // Monday 10:00
    expect(state.sla.resolutionDueAt).toBe(iso(submitted + 4 * DAY + 4 * HOUR)); // Tuesday 14:00
    const resolutionDue = submitted + 4 * DAY + 4 * HOUR;

    const described = await handle.describe();
    expect(described.typedSearchAttributes.get(TICKET_STATUS)).toBe('pending_approval');
    expect(described.typedSearchAttributes.get(TICKET_APPROVER_IDS)).toEqual(['owner-1', 'owner-2']);

    await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'owner-1', decision: 'approve' }] });

    // Monday 10:01: the weekend did not count, no reminder yet (and the response SLA was met by the decision).
    await t.env.sleep(friday + 3 * DAY + 60_000 - (await t.env.currentTimeMs()));
    await new Promise((r) => setTimeout(r, 300));
    expect(t.fakes.types(ticketId)).not.toContain('reminded');
    expect(t.fakes.types(ticketId)).not.toContain('sla_breached');

    // Tuesday 10:01: reminded, at Tuesday 10:00, only the approver who has not decided.
    await t.env.sleep(tuesday + 60_000 - (await t.env.currentTimeMs()));
    const [reminded] = await waitForEvents(t, ticketId, 'reminded');
    // Events carry the workflow time they happened at (the timer's workflow task), and the due instant.
    expect(reminded).toMatchObject({
      actorId: null,
      notify: ['owner-2'],
      detail: { to: ['owner-2'], dueAt: iso(tuesday) },
    });
    expect(Date.parse(reminded!.at) - tuesday).toBeGreaterThanOrEqual(0);
    expect(Date.parse(reminded!.at) - tuesday).toBeLessThan(60_000);
    state = await queryState(handle);
    expect(state.approval?.nextReminderAt).toBe(iso(tuesday + 2 * DAY)); // again 2 business days later: Thursday
    expect(t.fakes.types(ticketId)).not.toContain('escalated');

    // Wednesday 10:01: escalated to owner-2's manager, who may decide in owner-2's place.
    await t.env.sleep(wednesday + 60_000 - (await t.env.currentTimeMs()));
    const [escalated] = await waitForEvents(t, ticketId, 'escalated');
    expect(escalated).toMatchObject({
      detail: { silent: ['owner-2'], targets: { 'owner-2': ['boss-2'] }, mode: 'in_place', dueAt: iso(wednesday) },
    });
    expect(Date.parse(escalated!.at) - wednesday).toBeGreaterThanOrEqual(0);
    expect(Date.parse(escalated!.at) - wednesday).toBeLessThan(60_000);
    expect(escalated!.notify.sort()).toEqual(['boss-2', 'owner-2']);
    const escalationCalls = t.fakes.calls.get(ticketId)!.filter((c) => c.name === 'resolveEscalationTargets');
    expect(escalationCalls.map((c) => c.input)).toEqual([
      expect.objectContaining({ target: 'manager', silentIds: ['owner-2'] }),
    ]);
    // The resolution target (Tuesday 14:00) was missed.
    const [breach] = await waitForEvents(t, ticketId, 'sla_breached');
    expect(breach).toMatchObject({ detail: { kind: 'resolution', dueAt: iso(resolutionDue) } });
    expect(Date.parse(breach!.at) - resolutionDue).toBeGreaterThanOrEqual(0);
    expect(Date.parse(breach!.at) - resolutionDue).toBeLessThan(60_000);

    state = await queryState(handle);
    expect(state.approval?.nextEscalationAt).toBeNull();
    expect(state.approval?.steps[0]?.approvers[1]).toMatchObject({ userId: 'owner-2', escalatedTo: ['boss-2'] });
    expect(state.sla).toMatchObject({ breached: true, breaches: [{ kind: 'resolution', at: breach!.at }] });
    expect((await handle.describe()).typedSearchAttributes.get(TICKET_APPROVER_IDS)).toEqual(['owner-2', 'boss-2']);

    state = await handle.executeUpdate(decideUpdate, { args: [{ actorId: 'boss-2', decision: 'approve' }] });
    expect(state.status).toBe('approved');
    expect(state.approval?.steps[0]?.approvers[1]).toMatchObject({ decision: 'approve', decidedBy: 'boss-2' });
    expect(t.fakes.events(ticketId).find((e) => e.type === 'decided' && e.actorId === 'boss-2')?.detail).toMatchObject({
      onBehalfOf: ['owner-2'],
    });
    expect((await handle.describe()).typedSearchAttributes.get(TICKET_STATUS)).toBe('approved');
    await maybeRecordHistory(handle, 'escalated');
  });

  it('rejects the chain when the step times out with onTimeout: reject', async () => {
    const chain: ApprovalChainDefinition = {
      name: 'Urgent',
      category: 'urgent',
      steps: [
        {
          name: 'duty',
          mode: 'any',
          approvers: [{ type: 'role', value: 'duty' }],
          escalateAfter: 'PT4H',
          onTimeout: 'reject',
        },
      ],
    };
    const ticketId = newTicketId('timeout');
    const handle = await startTicket(t, {
      ticketId,
      chain,
      calendar: null,
      scenario: { approvers: { duty: ['d-1'] } },
    });
    await waitForEvents(t, ticketId, 'step_started');
    const final = await handle.result(); // lets the server skip the 4 hours
    expect(final.status).toBe('rejected');
    expect(final.approval?.steps[0]?.status).toBe('rejected');
    expect(t.fakes.events(ticketId).at(-1)).toMatchObject({
      type: 'status_changed',
      actorId: null,
      detail: { to: 'rejected', reason: 'timeout', silent: ['d-1'] },
    });
  });
});
