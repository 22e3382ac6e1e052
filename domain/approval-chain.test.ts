import {
  type ApprovalChainDefinition,
  type ChainStep,
  type ResolutionContext,
  type StepResult,
  type StepState,
  addApprover,
  applyDecision,
  delegate,
  escalate,
  outcome,
  pendingApproverIds,
  resolveApprovers,
  resolveEscalation,
  revertExpiredDelegations,
  silentApproverIds,
  skipStep,
  startStep,
  validateChain,
} from './approval-chain';
import { refusalToError } from './refusal';

const T0 = '2027-03-01T09:00:00.000Z';
const T1 = '2027-03-01T10:00:00.000Z';
const T2 = '2027-03-01T11:00:00.000Z';

/** Unwraps an accepted result or fails the test with the refusal. */
function ok(result: StepResult): StepState {
  if (!result.ok) throw new Error(`refused: ${result.code}`);
  return result.value;
}

const step = (mode: ChainStep['mode'], quorum?: number): ChainStep => ({
  name: 'Managers',
  mode,
  ...(quorum !== undefined ? { quorum } : {}),
  approvers: [{ type: 'role', value: 'finance' }],
});

describe('applyDecision', () => {
  it('all: approves once everyone approved, in any order', () => {
    let s = startStep(step('all'), ['a', 'b', 'c']);
    s = ok(applyDecision(s, 'b', 'approve', T0));
    s = ok(applyDecision(s, 'a', 'approve', T1));
    expect(s.status).toBe('pending');
    s = ok(applyDecision(s, 'c', 'approve', T2, 'fine'));
    expect(s.status).toBe('approved');
    expect(s.approvers[2]).toEqual({ userId: 'c', decision: 'approve', decidedAt: T2, comment: 'fine' });
  });

  it('all: one rejection rejects the step', () => {
    let s = startStep(step('all'), ['a', 'b', 'c']);
    s = ok(applyDecision(s, 'a', 'approve', T0));
    s = ok(applyDecision(s, 'b', 'reject', T1));
    expect(s.status).toBe('rejected');
  });

  it('any: the first approval wins; rejected only when everyone rejected', () => {
    let s = startStep(step('any'), ['a', 'b', 'c']);
    s = ok(applyDecision(s, 'a', 'reject', T0));
    s = ok(applyDecision(s, 'b', 'reject', T0));
    expect(s.status).toBe('pending');
    expect(ok(applyDecision(s, 'c', 'approve', T1)).status).toBe('approved');
    expect(ok(applyDecision(s, 'c', 'reject', T1)).status).toBe('rejected');
  });

  it('quorum 2 of 3: two approvals approve', () => {
    let s = startStep(step('quorum', 2), ['a', 'b', 'c']);
    expect(s.quorum).toBe(2);
    s = ok(applyDecision(s, 'a', 'approve', T0));
    s = ok(applyDecision(s, 'b', 'reject', T0));
    expect(s.status).toBe('pending');
    s = ok(applyDecision(s, 'c', 'approve', T1));
    expect(s.status).toBe('approved');
  });

  it('quorum 2 of 3: rejected as soon as two approvals are impossible', () => {
    let s = startStep(step('quorum', 2), ['a', 'b', 'c']);
    s = ok(applyDecision(s, 'a', 'reject', T0));
    expect(s.status).toBe('pending');
    s = ok(applyDecision(s, 'b', 'reject', T0));
    expect(s.status).toBe('rejected');
  });

  it('return by any approver returns the step, whatever the mode', () => {
    for (const mode of ['all', 'any', 'quorum'] as const) {
      let s = startStep(step(mode, mode === 'quorum' ? 2 : undefined), ['a', 'b', 'c']);
      // In `any` mode an approval would already conclude the step, so the first decision is a rejection there.
      s = ok(applyDecision(s, 'a', mode === 'any' ? 'reject' : 'approve', T0));
      expect(ok(applyDecision(s, 'b', 'return', T1, 'needs a quote')).status).toBe('returned');
    }
  });

  it('refuses a second decision by the same approver with 409', () => {
    const s = ok(applyDecision(startStep(step('all'), ['a', 'b']), 'a', 'approve', T0));
    const refused = applyDecision(s, 'a', 'reject', T1);
    expect(refused).toMatchObject({ ok: false, code: 'already_decided', status: 409 });
    if (!refused.ok) expect(refusalToError(refused)).toMatchObject({ status: 409, code: 'already_decided' });
  });

  it('refuses someone who is not an approver with 403', () => {
    const s = startStep(step('all'), ['a', 'b']);
    expect(applyDecision(s, 'mallory', 'approve', T0)).toMatchObject({
      ok: false,
      code: 'not_an_approver',
      status: 403,
    });
  });

  it('refuses a decision on a step that already concluded with 409', () => {
    let s = startStep(step('any'), ['a', 'b']);
    s = ok(applyDecision(s, 'a', 'approve', T0));
    expect(applyDecision(s, 'b', 'approve', T1)).toMatchObject({ ok: false, code: 'step_not_pending', status: 409 });
  });

  it('does not mutate the state it is given', () => {
    const s = startStep(step('all'), ['a', 'b']);
    const copy = structuredClone(s);
    ok(applyDecision(s, 'a', 'approve', T0));
    expect(s).toEqual(copy);
  });

  it('keeps a step without approvers pending so the workflow decides', () => {
    expect(outcome('all', undefined, [])).toBe('pending');
    expect(skipStep(step('all')).status).toBe('skipped');
  });
});

describe('delegation', () => {
  it('lets the delegate act for the approver and records who decided', () => {
    let s = ok(delegate(startStep(step('all'), ['a', 'b']), 'a', 'd', '2027-03-02T00:00:00Z'));
    expect(s.approvers[0]).toMatchObject({ delegatedTo: 'd', delegatedUntil: '2027-03-02T00:00:00.000Z' });
    expect(pendingApproverIds(s)).toEqual(['d', 'b']);
    s = ok(applyDecision(s, 'd', 'approve', T0));
    expect(s.approvers[0]).toMatchObject({ userId: 'a', decision: 'approve', decidedBy: 'd' });
    expect(applyDecision(s, 'a', 'approve', T1)).toMatchObject({ ok: false, code: 'already_decided' });
    expect(pendingApproverIds(s)).toEqual(['b']);
  });

  it('keeps the approver able to decide while delegated', () => {
    const s = ok(delegate(startStep(step('all'), ['a', 'b']), 'a', 'd'));
    const decided = ok(applyDecision(s, 'a', 'approve', T0));
    expect(decided.approvers[0]).toMatchObject({ decision: 'approve' });
    expect(decided.approvers[0]?.decidedBy).toBeUndefined();
    expect(applyDecision(decided, 'd', 'approve', T1)).toMatchObject({ ok: false, code: 'already_decided' });
  });

  it('reverts to the approver when the delegation expires', () => {
    let s = ok(delegate(startStep(step('all'), ['a', 'b']), 'a', 'd', '2027-03-01T10:00:00Z'));
    // After the end, the delegate can no longer act even before the revert runs.
    expect(applyDecision(s, 'd', 'approve', T2)).toMatchObject({ ok: false, code: 'not_an_approver' });
    expect(pendingApproverIds(s, T2)).toEqual(['a', 'b']);
    expect(revertExpiredDelegations(s, T0)).toBe(s);
    s = revertExpiredDelegations(s, T1);
    expect(s.approvers[0]).toMatchObject({ userId: 'a', delegatedTo: null, delegatedUntil: null });
    expect(pendingApproverIds(s)).toEqual(['a', 'b']);
    expect(ok(applyDecision(s, 'a', 'approve', T2)).approvers[0]?.decision).toBe('approve');
  });

  it('lets one delegate holding two tasks decide both', () => {
    let s = startStep(step('quorum', 2), ['a', 'b', 'c']);
    s = ok(delegate(s, 'a', 'd'));
    s = ok(delegate(s, 'b', 'd'));
    s = ok(applyDecision(s, 'd', 'approve', T0));
    expect(s.status).toBe('approved');
  });

  it('refuses delegating a decided task, to oneself, or by a non-approver', () => {
    const s = ok(applyDecision(startStep(step('all'), ['a', 'b']), 'a', 'approve', T0));
    expect(delegate(s, 'a', 'd')).toMatchObject({ ok: false, code: 'already_decided', status: 409 });
    expect(delegate(s, 'b', 'b')).toMatchObject({ ok: false, code: 'invalid_delegation', status: 400 });
    expect(delegate(s, 'x', 'd')).toMatchObject({ ok: false, code: 'not_an_approver', status: 403 });
  });
});

describe('escalation', () => {
  it('addApprover adds a voter in their own right', () => {
    let s = ok(addApprover(startStep(step('any'), ['a']), 'boss'));
    expect(s.approvers[1]).toMatchObject({ userId: 'boss', decision: null, addedBy: 'escalation' });
    expect(addApprover(s, 'boss')).toMatchObject({ ok: false, code: 'already_an_approver' });
    s = ok(applyDecision(s, 'boss', 'approve', T0));
    expect(s.status).toBe('approved');
    expect(addApprover(s, 'other')).toMatchObject({ ok: false, code: 'step_not_pending' });
  });

  it('escalate lets someone answer for a silent approver in all mode', () => {
    let s = ok(applyDecision(startStep(step('all'), ['a', 'b']), 'a', 'approve', T0));
    expect(silentApproverIds(s)).toEqual(['b']);
    s = ok(escalate(s, 'b', 'boss'));
    expect(ok(escalate(s, 'b', 'boss'))).toEqual(s);
    expect(pendingApproverIds(s)).toEqual(['b', 'boss']);
    s = ok(applyDecision(s, 'boss', 'approve', T1));
    expect(s.status).toBe('approved');
    expect(s.approvers[1]).toMatchObject({ userId: 'b', decision: 'approve', decidedBy: 'boss' });
  });
});

describe('resolveApprovers', () => {
  const ctx: ResolutionContext = {
    requester: { id: 'req', managerId: 'mgr', departmentId: 'it' },
    usersByRole: { finance: ['f2', 'req', 'f1'], empty: [] },
    departmentHeads: { it: 'head-it', hr: 'head-hr', none: null },
    managers: { f1: 'cfo', f2: 'cfo', mgr: 'vp' },
    departments: { mgr: 'hr' },
  };
  const resolve = (approvers: ChainStep['approvers'], mode: ChainStep['mode'] = 'all', quorum?: number) =>
    resolveApprovers({ name: 's', mode, ...(quorum ? { quorum } : {}), approvers }, ctx);

  it('resolves a user, a role, the manager and the department head in order, de-duplicated', () => {
    const result = resolve([
      { type: 'manager' },
      { type: 'role', value: 'finance' },
      { type: 'department_head' },
      { type: 'user', value: 'f1' },
      { type: 'department_head', value: 'hr' },
    ]);
    expect(result).toEqual({ approvers: ['mgr', 'f1', 'f2', 'head-it', 'head-hr'], problem: null, unresolved: [] });
  });

  it('never lets the requester approve their own ticket', () => {
    expect(resolve([{ type: 'user', value: 'req' }])).toEqual({
      approvers: [],
      problem: 'no_approvers',
      unresolved: [{ type: 'user', value: 'req' }],
    });
    const selfManaged = resolveApprovers(
      { name: 's', mode: 'all', approvers: [{ type: 'department_head' }] },
      { ...ctx, departmentHeads: { it: 'req' } },
    );
    expect(selfManaged.problem).toBe('no_approvers');
  });

  it('reports references that named nobody and a quorum that cannot be met', () => {
    const noManager = resolveApprovers(
      { name: 's', mode: 'any', approvers: [{ type: 'manager' }, { type: 'role', value: 'finance' }] },
      { ...ctx, requester: { id: 'req', managerId: null, departmentId: null } },
    );
    expect(noManager).toEqual({ approvers: ['f1', 'f2'], problem: null, unresolved: [{ type: 'manager' }] });
    expect(resolve([{ type: 'role', value: 'empty' }]).problem).toBe('no_approvers');
    expect(resolve([{ type: 'role', value: 'finance' }], 'quorum', 3).problem).toBe('quorum_unreachable');
    expect(resolve([{ type: 'role', value: 'finance' }], 'quorum', 2).problem).toBeNull();
  });

  it('leaves out inactive users when told who is active', () => {
    const result = resolveApprovers(
      { name: 's', mode: 'all', approvers: [{ type: 'role', value: 'finance' }] },
      { ...ctx, activeUserIds: ['f2', 'req'] },
    );
    expect(result.approvers).toEqual(['f2']);
  });

  it('resolves escalation targets per silent approver', () => {
    expect(resolveEscalation('manager', ['f1', 'f2'], ctx)).toEqual(['cfo']);
    expect(resolveEscalation('department_head', ['mgr', 'f1'], ctx)).toEqual(['head-hr', 'head-it']);
    expect(resolveEscalation({ user: 'req' }, ['f1'], ctx)).toEqual([]);
    expect(resolveEscalation({ role: 'finance' }, ['f1'], ctx)).toEqual(['f2']);
  });
});

describe('validateChain', () => {
  const valid: ApprovalChainDefinition = {
    name: 'Hardware purchase',
    category: 'hardware',
    steps: [
      {
        name: 'Manager',
        mode: 'all',
        approvers: [{ type: 'manager' }],
        remindAfter: 'PT4H',
        escalateAfter: 'P1D',
        escalateTo: 'manager',
      },
      {
        name: 'Finance',
        mode: 'quorum',
        quorum: 2,
        approvers: [{ type: 'role', value: 'finance' }],
        escalateAfter: 'P3D',
        onTimeout: 'reject',
      },
    ],
    sla: { response: 'PT8H', resolution: 'P5D' },
    calendarId: 'cal-1',
  };

  it('accepts a sound chain', () => {
    expect(validateChain(valid)).toEqual([]);
  });

  it('names every problem with its path', () => {
    const errors = validateChain(
      {
        name: '',
        category: 'x',
        sla: { response: '4 hours' },
        steps: [
          { name: 'A', mode: 'quorum', approvers: [{ type: 'user', value: 'u1' }] },
          { name: 'A', mode: 'all', quorum: 2, approvers: [] },
          {
            name: 'C',
            mode: 'quorum',
            quorum: 3,
            approvers: [{ type: 'user', value: 'u1' }, { type: 'manager' }],
            escalateAfter: 'P1M',
          },
          { name: 'D', mode: 'any', approvers: [{ type: 'role' }], escalateAfter: 'PT1H' },
          {
            name: 'E',
            mode: 'any',
            approvers: [{ type: 'user', value: 'u' }],
            onTimeout: 'reject',
            escalateTo: { team: 'x' },
          } as unknown as ChainStep,
        ],
      },
      'body',
    );
    expect(errors.map((e) => e.path).sort()).toEqual(
      [
        'body.name',
        'body.sla.response',
        'body.steps.0.quorum',
        'body.steps.1.name',
        'body.steps.1.approvers',
        'body.steps.1.quorum',
        'body.steps.2.quorum',
        'body.steps.2.escalateAfter',
        'body.steps.3.approvers.0.value',
        'body.steps.3.escalateTo',
        'body.steps.4.onTimeout',
        'body.steps.4.escalateTo',
      ].sort(),
    );
  });

  it('needs at least one step', () => {
    expect(validateChain({ ...valid, steps: [] })).toEqual([{ path: 'steps', message: 'needs at least one step' }]);
  });
});
