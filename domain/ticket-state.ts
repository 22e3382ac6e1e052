/**
 * The ticket life cycle as one table: which action moves a ticket from which statuses to which, and who may
 * take it. The API documents {@link TICKET_TRANSITIONS} as is; services and workflows call {@link transition}.
 *
 *   draft --submit--> pending_approval --approve_chain--> approved --assign--> in_progress --resolve--> resolved
 *                       |   ^       \--reject_chain--> rejected                                 |  ^     |
 *                 return|   |resubmit                                                   reopen  |  |     |close
 *                       v   |                                                                   v  |     v
 *                      returned                                               in_progress <--reopen-- closed
 *   cancel: from any status except closed, cancelled and rejected.
 *
 * A submitted ticket whose category has no chain goes `submit` then `approve_chain` (by the system) at once.
 */
import { type Role } from './roles';
import { type Outcome, type Refusal, accept, refuse } from './refusal';

export const TICKET_STATUSES = [
  'draft',
  'pending_approval',
  'returned',
  'approved',
  'rejected',
  'in_progress',
  'resolved',
  'closed',
  'cancelled',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_ACTIONS = [
  'submit',
  'resubmit',
  'approve_chain',
  'reject_chain',
  'return',
  'assign',
  'resolve',
  'close',
  'reopen',
  'cancel',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/**
 * Who takes part: `requester` is the requester of this ticket; `approver` a current approver of its current
 * step (or their delegate); `agent` and `admin` are roles; `system` is the approval workflow concluding a chain.
 */
export type Party = 'requester' | 'approver' | 'agent' | 'admin' | 'system';

export interface TransitionRule {
  from: readonly TicketStatus[];
  to: TicketStatus;
  by: readonly Party[];
  description: string;
}

const OPEN: readonly TicketStatus[] = ['draft', 'pending_approval', 'returned', 'approved', 'in_progress', 'resolved'];

export const TICKET_TRANSITIONS: Readonly<Record<TicketAction, TransitionRule>> = {
  submit: {
    from: ['draft'],
    to: 'pending_approval',
    by: ['requester'],
    description: 'The requester sends a draft for approval.',
  },
  resubmit: {
    from: ['returned'],
    to: 'pending_approval',
    by: ['requester'],
    description: 'The requester sends a returned ticket back to the step that returned it.',
  },
  approve_chain: {
    from: ['pending_approval'],
    to: 'approved',
    by: ['approver', 'system'],
    description: 'The last step of the chain is approved (or the category has no chain).',
  },
  reject_chain: {
    from: ['pending_approval'],
    to: 'rejected',
    by: ['approver', 'system'],
    description: 'A step is rejected, by its approvers or on timeout.',
  },
  return: {
    from: ['pending_approval'],
    to: 'returned',
    by: ['approver', 'system'],
    description: 'An approver sends the ticket back to the requester for changes.',
  },
  assign: {
    from: ['approved', 'in_progress'],
    to: 'in_progress',
    by: ['agent', 'admin'],
    description: 'An agent takes the ticket, or it is reassigned; work starts.',
  },
  resolve: {
    from: ['approved', 'in_progress'],
    to: 'resolved',
    by: ['agent', 'admin'],
    description: 'The work is done; the resolution is recorded.',
  },
  close: {
    from: ['resolved'],
    to: 'closed',
    by: ['requester', 'agent', 'admin'],
    description: 'The resolution is accepted.',
  },
  reopen: {
    from: ['resolved', 'closed'],
    to: 'in_progress',
    by: ['requester', 'agent', 'admin'],
    description: 'The resolution did not hold; work resumes.',
  },
  cancel: {
    from: OPEN,
    to: 'cancelled',
    by: ['requester', 'admin'],
    description: 'The request is withdrawn.',
  },
};

/** The caller as the state machine sees them; the policy layer works out the flags for this ticket. */
export interface TicketActor {
  /** The caller requested this ticket. */
  isRequester: boolean;
  roles: readonly Role[];
  /** The caller is a current approver of the ticket's current step, or their delegate. */
  isApprover?: boolean;
  /** The approval workflow itself, concluding a chain. */
  isSystem?: boolean;
}

export type TransitionRefusalCode = 'forbidden' | 'invalid_transition';
export type TransitionRefusal = Refusal<TransitionRefusalCode>;

/** The parties the actor counts as for this ticket. */
export function partiesOf(actor: TicketActor): Party[] {
  const parties: Party[] = [];
  if (actor.isRequester) parties.push('requester');
  if (actor.isApprover) parties.push('approver');
  if (actor.roles.includes('agent')) parties.push('agent');
  if (actor.roles.includes('admin')) parties.push('admin');
  if (actor.isSystem) parties.push('system');
  return parties;
}

/**
 * The status after `action`, or a refusal: `forbidden` (403) when the actor may never take this action on
 * this ticket, `invalid_transition` (409) when they may but not from the current status. The party check
 * comes first so that someone without a say learns nothing about the ticket's state.
 */
export function transition(
  status: TicketStatus,
  action: TicketAction,
  actor: TicketActor,
): Outcome<{ status: TicketStatus }, TransitionRefusalCode> {
  const rule = TICKET_TRANSITIONS[action];
  const parties = partiesOf(actor);
  if (!rule.by.some((p) => parties.includes(p))) {
    return refuse('forbidden', 403, `You are not allowed to take the action "${action}" on this ticket.`);
  }
  if (!rule.from.includes(status)) {
    return refuse(
      'invalid_transition',
      409,
      `The action "${action}" is not possible while the ticket is ${status.replace('_', ' ')}.`,
    );
  }
  return accept({ status: rule.to });
}

/** The actions the actor may take on a ticket in `status`, e.g. for the buttons a client shows. */
export function allowedActions(status: TicketStatus, actor: TicketActor): TicketAction[] {
  return TICKET_ACTIONS.filter((action) => transition(status, action, actor).ok);
}
