import { presentStoredFile } from '../http/upload';
import type { ApprovalTask, Attachment, Notification, Ticket, TicketComment, TicketHistory } from '../../models';
import type { ApprovalState, SlaState } from '../../workflows/ticket/definitions';
import type { TicketView } from './service';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function presentApproval(approval: ApprovalState | null | undefined) {
  if (!approval) return null;
  return {
    chainId: approval.chainId,
    chainVersion: approval.chainVersion,
    currentStep: approval.currentStep,
    steps: approval.steps.map((s) => ({
      name: s.name,
      mode: s.mode,
      ...(s.quorum !== undefined ? { quorum: s.quorum } : {}),
      status: s.status,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      approvers: s.approvers.map((a) => ({
        userId: a.userId,
        decision: a.decision,
        decidedAt: a.decidedAt,
        delegatedTo: a.delegatedTo ?? null,
        delegatedUntil: a.delegatedUntil ?? null,
        decidedBy: a.decidedBy ?? null,
        escalatedTo: a.escalatedTo ?? [],
        ...(a.comment !== undefined ? { comment: a.comment } : {}),
      })),
    })),
    nextReminderAt: approval.nextReminderAt,
    nextEscalationAt: approval.nextEscalationAt,
  };
}

export const presentSla = (sla: SlaState | null | undefined) =>
  sla ? { responseDueAt: sla.responseDueAt, resolutionDueAt: sla.resolutionDueAt, breached: sla.breached } : null;

/** The ticket resource of API.md; while the workflow runs its live state wins over the stored projection. */
export function presentTicket({ ticket, state }: TicketView) {
  return {
    id: ticket.id,
    number: ticket.number,
    title: ticket.title,
    description: ticket.description,
    category: ticket.category,
    priority: ticket.priority,
    fields: ticket.fields,
    status: state?.status ?? ticket.status,
    requesterId: ticket.requesterId,
    assigneeId: state ? state.assigneeId : ticket.assigneeId,
    resolution: state ? state.resolution : ticket.resolution,
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: (state?.updatedAt
      ? new Date(Math.max(Date.parse(state.updatedAt), ticket.updatedAt.getTime()))
      : ticket.updatedAt
    ).toISOString(),
    submittedAt: iso(ticket.submittedAt),
    approval: presentApproval(state ? state.approval : ticket.approval),
    sla: presentSla(state ? state.sla : ticket.sla),
  };
}

export const presentHistory = (h: TicketHistory) => ({
  at: h.at.toISOString(),
  actorId: h.actorId,
  type: h.type,
  detail: h.detail,
});

export const presentComment = (c: TicketComment) => ({
  id: c.id,
  ticketId: c.ticketId,
  authorId: c.authorId,
  body: c.body,
  internal: c.internal,
  createdAt: c.createdAt.toISOString(),
});

export const presentAttachment = (a: Attachment) => ({
  id: a.id,
  ticketId: a.ticketId,
  ...presentStoredFile(a),
});

export const presentTask = (t: ApprovalTask & { ticket?: Ticket }) => ({
  ticketId: t.ticketId,
  ticketNumber: t.ticket?.number ?? 0,
  title: t.ticket?.title ?? '',
  step: t.stepName,
  stepIndex: t.stepIndex,
  status: t.status,
  onBehalfOf: t.onBehalfOf,
  requestedAt: t.requestedAt.toISOString(),
  dueAt: iso(t.dueAt),
});

export const presentNotification = (n: Notification) => ({
  id: n.id,
  ticketId: n.ticketId,
  type: n.type,
  title: n.title,
  body: n.body,
  read: n.readAt !== null,
  createdAt: n.createdAt.toISOString(),
});
