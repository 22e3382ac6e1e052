import {
  type TicketAction,
  type TicketActor,
  type TicketStatus,
  TICKET_ACTIONS,
  TICKET_STATUSES,
  TICKET_TRANSITIONS,
  allowedActions,
  transition,
} from './ticket-state';

const requester: TicketActor = { isRequester: true, roles: ['requester'] };
const otherUser: TicketActor = { isRequester: false, roles: ['requester'] };
const approver: TicketActor = { isRequester: false, roles: ['approver'], isApprover: true };
const approverRoleOnly: TicketActor = { isRequester: false, roles: ['approver'] };
const agent: TicketActor = { isRequester: false, roles: ['agent'] };
const admin: TicketActor = { isRequester: false, roles: ['admin'] };
const system: TicketActor = { isRequester: false, roles: [], isSystem: true };

const to = (status: TicketStatus, action: TicketAction, actor: TicketActor) => {
  const result = transition(status, action, actor);
  return result.ok ? result.value.status : `${result.status} ${result.code}`;
};

describe('transition', () => {
  it('walks the happy path', () => {
    expect(to('draft', 'submit', requester)).toBe('pending_approval');
    expect(to('pending_approval', 'approve_chain', system)).toBe('approved');
    expect(to('approved', 'assign', agent)).toBe('in_progress');
    expect(to('in_progress', 'assign', admin)).toBe('in_progress');
    expect(to('in_progress', 'resolve', agent)).toBe('resolved');
    expect(to('resolved', 'close', requester)).toBe('closed');
    expect(to('closed', 'reopen', requester)).toBe('in_progress');
  });

  it('returns, resubmits and rejects', () => {
    expect(to('pending_approval', 'return', approver)).toBe('returned');
    expect(to('returned', 'resubmit', requester)).toBe('pending_approval');
    expect(to('pending_approval', 'reject_chain', approver)).toBe('rejected');
    expect(to('returned', 'submit', requester)).toBe('409 invalid_transition');
  });

  it('lets the requester cancel unless closed, cancelled or rejected', () => {
    for (const status of ['draft', 'pending_approval', 'returned', 'approved', 'in_progress', 'resolved'] as const) {
      expect(to(status, 'cancel', requester)).toBe('cancelled');
    }
    for (const status of ['closed', 'cancelled', 'rejected'] as const) {
      expect(to(status, 'cancel', requester)).toBe('409 invalid_transition');
    }
  });

  it('answers 403 to a party that may never take the action', () => {
    expect(to('draft', 'submit', otherUser)).toBe('403 forbidden');
    expect(to('draft', 'submit', admin)).toBe('403 forbidden');
    expect(to('approved', 'assign', requester)).toBe('403 forbidden');
    expect(to('pending_approval', 'approve_chain', requester)).toBe('403 forbidden');
    // The approver role alone is not enough: the caller must be an approver of this ticket.
    expect(to('pending_approval', 'approve_chain', approverRoleOnly)).toBe('403 forbidden');
    expect(to('resolved', 'close', otherUser)).toBe('403 forbidden');
    expect(to('draft', 'cancel', agent)).toBe('403 forbidden');
  });

  it('answers 409 to an allowed party in the wrong status', () => {
    expect(to('draft', 'resolve', agent)).toBe('409 invalid_transition');
    expect(to('closed', 'close', admin)).toBe('409 invalid_transition');
    expect(to('approved', 'approve_chain', system)).toBe('409 invalid_transition');
    expect(to('cancelled', 'reopen', admin)).toBe('409 invalid_transition');
  });

  it('gives a refusal that carries status and message', () => {
    expect(transition('draft', 'resolve', agent)).toEqual({
      ok: false,
      code: 'invalid_transition',
      status: 409,
      message: 'The action "resolve" is not possible while the ticket is draft.',
    });
  });
});

describe('TICKET_TRANSITIONS', () => {
  it('covers every action with known statuses', () => {
    expect(Object.keys(TICKET_TRANSITIONS).sort()).toEqual([...TICKET_ACTIONS].sort());
    for (const rule of Object.values(TICKET_TRANSITIONS)) {
      expect(TICKET_STATUSES).toContain(rule.to);
      for (const from of rule.from) expect(TICKET_STATUSES).toContain(from);
      expect(rule.by.length).toBeGreaterThan(0);
    }
  });

  it('leaves cancelled and rejected without a way out', () => {
    for (const status of ['cancelled', 'rejected'] as const) {
      for (const actor of [requester, approver, agent, admin, system])
        expect(allowedActions(status, actor)).toEqual([]);
    }
  });

  it('lists what each party may do', () => {
    expect(allowedActions('resolved', { ...requester })).toEqual(['close', 'reopen', 'cancel']);
    expect(allowedActions('approved', agent)).toEqual(['assign', 'resolve']);
    expect(allowedActions('pending_approval', approver)).toEqual(['approve_chain', 'reject_chain', 'return']);
  });
});
