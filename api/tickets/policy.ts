import { Op, type WhereOptions } from 'sequelize';
import { hasRole, type Principal } from '../../domain/roles';
import type { ApprovalState } from '../../workflows/ticket/definitions';
import { Ticket as TicketModel, type Ticket } from '../../models';

/** Everyone who is or was asked to act on a ticket's approval, delegates and escalation targets included. */
export function approvalParticipants(approval: ApprovalState | null | undefined): Set<string> {
  const ids = new Set<string>();
  for (const step of approval?.steps ?? []) {
    for (const a of step.approvers) {
      ids.add(a.userId);
      if (a.delegatedTo) ids.add(a.delegatedTo);
      for (const e of (a as { escalatedTo?: string[] }).escalatedTo ?? []) ids.add(e);
    }
  }
  return ids;
}

/**
 * Who may see a ticket (API.md): the requester; admins; approvers who are or were asked to approve it;
 * agents of the ticket's department or its assignee. Drafts are the requester's (and admins') alone.
 * Callers that may not see a ticket get 404, as if it did not exist.
 */
export function canSeeTicket(user: Principal, ticket: Ticket, wasAsked: boolean): boolean {
  if (ticket.requesterId === user.id || hasRole(user, 'admin')) return true;
  if (ticket.status === 'draft') return false;
  if (wasAsked || approvalParticipants(ticket.approval).has(user.id)) return true;
  if (
    hasRole(user, 'agent') &&
    (ticket.assigneeId === user.id || (ticket.departmentId !== null && ticket.departmentId === user.departmentId))
  ) {
    return true;
  }
  return false;
}

/** The same rule as a SQL condition for lists. */
export function visibleTicketsWhere(user: Principal): WhereOptions {
  if (hasRole(user, 'admin')) return {};
  const sequelize = TicketModel.sequelize!;
  const asked = sequelize.literal(
    `(SELECT ticket_id FROM approval_tasks WHERE user_id = ${sequelize.escape(user.id)})`,
  );
  const others: WhereOptions[] = [{ id: { [Op.in]: asked } }];
  if (hasRole(user, 'agent')) {
    others.push({ assigneeId: user.id });
    if (user.departmentId) others.push({ departmentId: user.departmentId });
  }
  return { [Op.or]: [{ requesterId: user.id }, { [Op.and]: [{ status: { [Op.ne]: 'draft' } }, { [Op.or]: others }] }] };
}

/** Internal notes are for the people working the ticket, not the requester. */
export const canSeeInternal = (user: Principal, ticket: Ticket): boolean =>
  hasRole(user, 'admin', 'agent') || (ticket.requesterId !== user.id && hasRole(user, 'approver'));

/** Content edits: the requester while the ticket is a draft or returned. */
export const canEditContent = (user: Principal, ticket: Ticket): boolean =>
  ticket.requesterId === user.id && (ticket.status === 'draft' || ticket.status === 'returned');
