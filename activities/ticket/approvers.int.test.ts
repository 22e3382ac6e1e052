import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { ChainStep } from '../../domain/approval-chain';
import { Department } from '../../models';
import { buildUser, createHarness, type Harness } from '../../test/harness';
import type { RequesterRef } from '../../workflows/ticket/definitions';
import { createTicketActivities, type TicketActivities } from '.';

/** Approver and escalation resolution against the real users and departments tables. */
describe('ticket activities: approver resolution (PostgreSQL)', () => {
  let h: Harness;
  let acts: TicketActivities;
  const ticketId = randomUUID();
  const sorted = (...ids: string[]) => [...ids].sort();
  const step = (approvers: ChainStep['approvers'], mode: ChainStep['mode'] = 'all'): ChainStep => ({
    name: 'Review',
    mode,
    approvers,
  });

  // A small directory: department Ops (head) with a requester, their manager and three approvers.
  let ops: Department;
  let other: Department;
  let head: string;
  let otherHead: string;
  let manager: string;
  let requester: RequesterRef;
  let approverA: string;
  let approverB: string;
  let inactiveApprover: string;
  let plainUser: string;

  beforeAll(async () => {
    h = await createHarness();
    await h.reset();
    acts = createTicketActivities(h.infra);
    ops = await Department.create({ name: `Ops ${randomUUID().slice(0, 6)}`, headId: null });
    other = await Department.create({ name: `Finance ${randomUUID().slice(0, 6)}`, headId: null });
    head = (await buildUser({ departmentId: ops.id, roles: ['approver'] })).id;
    otherHead = (await buildUser({ departmentId: other.id })).id;
    await ops.update({ headId: head });
    await other.update({ headId: otherHead });
    manager = (await buildUser({ departmentId: ops.id, managerId: head })).id;
    const req = await buildUser({ departmentId: ops.id, managerId: manager, roles: ['requester', 'approver'] });
    requester = { id: req.id, managerId: manager, departmentId: ops.id };
    approverA = (await buildUser({ roles: ['approver'], managerId: manager, departmentId: ops.id })).id;
    approverB = (await buildUser({ roles: ['approver', 'agent'], managerId: head, departmentId: other.id })).id;
    inactiveApprover = (await buildUser({ roles: ['approver'], active: false })).id;
    plainUser = (await buildUser()).id;
  });

  afterAll(async () => {
    await h.close();
  });

  it('resolves role, manager, department head and user references in order, de-duplicated', async () => {
    const result = await acts.resolveStepApprovers({
      ticketId,
      requester,
      step: step([
        { type: 'role', value: 'approver' },
        { type: 'manager' },
        { type: 'department_head' },
        { type: 'user', value: plainUser },
        { type: 'department_head', value: other.id },
      ]),
    });
    // Role members sorted by id (the requester holds the role too and is left out; so is the inactive one);
    // the head of Ops also holds the role, so the department_head reference adds nobody new.
    expect(result).toEqual({
      approvers: [...sorted(approverA, approverB, head), manager, plainUser, otherHead],
      problem: null,
      unresolved: [],
    });
  });

  it('leaves out inactive users and reports the references that named nobody', async () => {
    const retired = await buildUser({ departmentId: ops.id });
    const req = await buildUser({ departmentId: ops.id, managerId: retired.id });
    await retired.update({ active: false });
    const result = await acts.resolveStepApprovers({
      ticketId,
      requester: { id: req.id, managerId: retired.id, departmentId: ops.id },
      step: step(
        [
          { type: 'manager' },
          { type: 'user', value: inactiveApprover },
          { type: 'user', value: randomUUID() },
          { type: 'user', value: 'not-a-uuid' },
          { type: 'role', value: 'nobody-holds-this' },
          { type: 'user', value: approverA },
        ],
        'quorum',
      ),
    });
    expect(result.approvers).toEqual([approverA]);
    expect(result.unresolved).toHaveLength(5);
    expect(result.problem).toBeNull();
  });

  it('excludes the requester, even as their own department head', async () => {
    const result = await acts.resolveStepApprovers({
      ticketId,
      requester: { id: head, managerId: null, departmentId: ops.id },
      step: step([{ type: 'department_head' }, { type: 'user', value: head }, { type: 'manager' }]),
    });
    expect(result).toEqual({
      approvers: [],
      problem: 'no_approvers',
      unresolved: [{ type: 'department_head' }, { type: 'user', value: head }, { type: 'manager' }],
    });
  });

  it('reads the requester’s manager and department from the directory now, not the submission snapshot', async () => {
    const result = await acts.resolveStepApprovers({
      ticketId,
      requester: { ...requester, managerId: null, departmentId: null },
      step: step([{ type: 'manager' }, { type: 'department_head' }]),
    });
    expect(result.approvers).toEqual([manager, head]);
  });

  it('escalates to the managers of the silent approvers', async () => {
    const targets = await acts.resolveEscalationTargets({
      ticketId,
      requester,
      target: 'manager',
      silentIds: [approverA, approverB],
    });
    expect(targets).toEqual([manager, head]);
  });

  it('escalates to the heads of the silent approvers’ departments, without the requester or inactive users', async () => {
    expect(
      await acts.resolveEscalationTargets({
        ticketId,
        requester,
        target: 'department_head',
        silentIds: [approverB, approverA],
      }),
    ).toEqual([otherHead, head]);
    await Department.update({ headId: inactiveApprover }, { where: { id: other.id } });
    try {
      expect(
        await acts.resolveEscalationTargets({
          ticketId,
          requester: { id: head, managerId: null, departmentId: ops.id },
          target: 'department_head',
          silentIds: [approverB, approverA],
        }),
      ).toEqual([]);
    } finally {
      await Department.update({ headId: otherHead }, { where: { id: other.id } });
    }
  });

  it('escalates to a user or a role', async () => {
    expect(
      await acts.resolveEscalationTargets({ ticketId, requester, target: { user: plainUser }, silentIds: [approverA] }),
    ).toEqual([plainUser]);
    expect(
      await acts.resolveEscalationTargets({
        ticketId,
        requester,
        target: { role: 'approver' },
        silentIds: [approverA],
      }),
    ).toEqual(sorted(approverB, head));
  });

  it('fails without retries when the requester id can never be valid', async () => {
    const failure = await acts
      .resolveStepApprovers({
        ticketId,
        requester: { id: 'not-a-uuid', managerId: null, departmentId: null },
        step: step([{ type: 'manager' }]),
      })
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
  });
});
