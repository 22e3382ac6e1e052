import { randomUUID } from 'node:crypto';
import type { TicketStatus } from '../../domain/ticket-state';
import { CategoryRule, Department, Ticket } from '../../models';
import { buildUser, createHarness, type Harness } from '../../test/harness';
import { createTicketActivities, type TicketActivities } from '.';

/** pickAssignee against the real category rules, users and tickets. */
describe('ticket activities: pickAssignee (PostgreSQL)', () => {
  let h: Harness;
  let acts: TicketActivities;
  let requester: { id: string; managerId: null; departmentId: null };

  async function ticket(status: TicketStatus, assigneeId: string | null) {
    return Ticket.create({
      title: 'Printer jam',
      description: '-',
      category: 'printing',
      priority: 'normal',
      fields: {},
      status,
      requesterId: requester.id,
      departmentId: null,
      assigneeId,
      chainId: null,
      chainVersion: null,
      approval: null,
      sla: null,
      resolution: null,
      submittedAt: null,
    });
  }

  const pick = (category: string, ticketId: string = randomUUID()) =>
    acts.pickAssignee({ ticketId, category, requester });

  beforeAll(async () => {
    h = await createHarness();
    await h.reset();
    acts = createTicketActivities(h.infra);
    requester = { id: (await buildUser()).id, managerId: null, departmentId: null };
  });

  afterAll(async () => {
    await h.close();
  });

  it('gives the ticket to the rule’s agent, matching the category case-insensitively', async () => {
    const agent = await buildUser({ roles: ['agent'] });
    await CategoryRule.create({ category: 'Hardware', assigneeId: agent.id, departmentId: null });
    expect(await pick('hardware')).toBe(agent.id);
    expect(await pick('HARDWARE')).toBe(agent.id);
  });

  it('gives it to the department’s active agent with the fewest open tickets when the rule’s agent cannot take it', async () => {
    const dept = await Department.create({ name: `Printing ${randomUUID().slice(0, 6)}`, headId: null });
    const busy = await buildUser({ roles: ['agent'], departmentId: dept.id });
    const light = await buildUser({ roles: ['agent'], departmentId: dept.id });
    await buildUser({ roles: ['agent'], departmentId: dept.id, active: false }); // idle but inactive
    await buildUser({ roles: ['requester'], departmentId: dept.id }); // idle but not an agent
    const formerAgent = await buildUser({ roles: ['agent'], active: false });
    await CategoryRule.create({ category: 'printing', assigneeId: formerAgent.id, departmentId: dept.id });

    await ticket('approved', busy.id);
    await ticket('in_progress', busy.id);
    await ticket('in_progress', light.id);
    for (const done of ['resolved', 'closed', 'cancelled'] as const) await ticket(done, light.id);
    expect(await pick('Printing')).toBe(light.id);

    // Equal load: the smaller id, every time.
    await ticket('approved', light.id);
    const [first] = [busy.id, light.id].sort();
    expect(await pick('printing')).toBe(first);

    // The ticket being assigned does not count against whoever holds it already (a retry answers the same).
    const own = await ticket('approved', first!);
    const [, second] = [busy.id, light.id].sort();
    expect(await pick('printing')).toBe(second);
    expect(await pick('printing', own.id)).toBe(first);
  });

  it('skips a rule assignee who is not an agent', async () => {
    const dept = await Department.create({ name: `Facilities ${randomUUID().slice(0, 6)}`, headId: null });
    const agent = await buildUser({ roles: ['agent'], departmentId: dept.id });
    const notAgent = await buildUser({ roles: ['approver'] });
    await CategoryRule.create({ category: 'facilities', assigneeId: notAgent.id, departmentId: dept.id });
    expect(await pick('facilities')).toBe(agent.id);
  });

  it('answers null without a rule, or when nobody can take the ticket', async () => {
    expect(await pick('no-such-category')).toBeNull();
    const notAgent = await buildUser({ roles: ['approver'] });
    await CategoryRule.create({ category: 'travel', assigneeId: notAgent.id, departmentId: null });
    expect(await pick('travel')).toBeNull();
  });
});
