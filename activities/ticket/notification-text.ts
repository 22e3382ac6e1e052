/**
 * The title and body of the notification an event sends, per event type. Pure: the recorder passes the
 * ticket's number and title and the actor's display name it read in its transaction. Reads `detail` defensively
 * (fields as documented in docs/events.md) and falls back to the live state, so a detail without an optional
 * field still gives a readable text.
 */
import type { TicketEvent, TicketWorkflowState } from '../../workflows/ticket/definitions';

export interface NotificationContext {
  event: TicketEvent;
  state: TicketWorkflowState;
  ticket: { number: number; title: string };
  /** Display name of `event.actorId`, when there is one. */
  actorName: string | null;
  /** The user being notified. */
  userId: string;
}

export interface NotificationText {
  title: string;
  body: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** The step an event is about: `detail.name`, else `detail.step` (an index), else the current step. */
function stepName({ event, state }: NotificationContext): string | null {
  const named = str(event.detail.name);
  if (named) return named;
  const index = typeof event.detail.step === 'number' ? event.detail.step : state.approval?.currentStep;
  return typeof index === 'number' ? (state.approval?.steps[index]?.name ?? null) : null;
}

const withComment = (body: string, comment: unknown) => (str(comment) ? `${body} Comment: "${str(comment)}"` : body);
const when = (iso: string | null) => (iso ? iso.replace(/\.\d{3}Z$/, 'Z') : null);

const OUTCOME_TITLE: Partial<Record<TicketWorkflowState['status'], string>> = {
  pending_approval: 'Ticket submitted',
  approved: 'Ticket approved',
  rejected: 'Ticket rejected',
  returned: 'Ticket returned',
  in_progress: 'Work started',
  resolved: 'Ticket resolved',
  closed: 'Ticket closed',
  cancelled: 'Ticket cancelled',
};

export function notificationText(ctx: NotificationContext): NotificationText {
  const { event, state, ticket, userId } = ctx;
  const ref = `#${ticket.number} ${ticket.title}`;
  const who = ctx.actorName ?? (event.actorId ? 'Someone' : 'The system');
  const step = stepName(ctx);
  const onStep = step ? ` on step "${step}"` : '';
  const d = event.detail;

  switch (event.type) {
    case 'submitted':
      return { title: `Ticket submitted: ${ref}`, body: `${who} submitted ticket #${ticket.number} for approval.` };
    case 'resubmitted':
      return {
        title: `Ticket resubmitted: ${ref}`,
        body: withComment(`${who} resubmitted ticket #${ticket.number}; approval continues${onStep}.`, d.comment),
      };
    case 'step_started': {
      const due = when(state.approval?.nextEscalationAt ?? null);
      return {
        title: `Approval needed: ${ref}`,
        body: `Ticket #${ticket.number} is waiting for your decision${onStep}.${due ? ` Please decide by ${due}.` : ''}`,
      };
    }
    case 'reminded':
      return {
        title: `Reminder: ${ref}`,
        body: `Ticket #${ticket.number} is still waiting for your decision${onStep}.`,
      };
    case 'escalated':
      return Array.isArray(d.silent) && d.silent.includes(userId)
        ? {
            title: `Escalated: ${ref}`,
            body: `You did not decide ticket #${ticket.number}${onStep} in time, so it was escalated. You can still decide.`,
          }
        : {
            title: `Escalated: ${ref}`,
            body: `The approvers${onStep} did not answer in time; you may now decide ticket #${ticket.number}.`,
          };
    case 'delegated': {
      const until = when(str(d.until));
      return {
        title: `Approval delegated to you: ${ref}`,
        body: withComment(
          `${who} asked you to decide ticket #${ticket.number}${onStep} in their place${until ? ` until ${until}` : ''}.`,
          d.comment,
        ),
      };
    }
    case 'delegation_reverted':
      return {
        title: `Delegation ended: ${ref}`,
        body:
          str(d.approver) === userId
            ? `Your delegation${onStep} of ticket #${ticket.number} has ended; the decision is back with you.`
            : `Your delegation${onStep} of ticket #${ticket.number} has ended; you no longer decide in the approver's place.`,
      };
    case 'sla_breached': {
      const kind = d.kind === 'response' || d.kind === 'resolution' ? `${d.kind} ` : '';
      const due = when(str(d.dueAt));
      return {
        title: `SLA breached: ${ref}`,
        body: `Ticket #${ticket.number} missed its ${kind}target${due ? ` (due ${due})` : ''}.`,
      };
    }
    case 'assigned':
      if (str(d.assigneeId) === userId) {
        return { title: `Assigned to you: ${ref}`, body: `Ticket #${ticket.number} was assigned to you.` };
      }
      return str(d.previous) === userId
        ? { title: `Ticket reassigned: ${ref}`, body: `Ticket #${ticket.number} was reassigned to another agent.` }
        : { title: `Ticket assigned: ${ref}`, body: `Ticket #${ticket.number} has been assigned to an agent.` };
    case 'decided':
    case 'returned':
    case 'status_changed':
      return outcomeText(ctx, ref, who, onStep);
  }
}

/** A decision or status change: named by the ticket's status now, so "approved" means the whole ticket. */
function outcomeText(ctx: NotificationContext, ref: string, who: string, onStep: string): NotificationText {
  const { event, state, ticket } = ctx;
  const d = event.detail;
  const decision = str(d.decision);
  if (event.type === 'decided' && state.status === 'pending_approval') {
    const verb = decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'returned';
    return {
      title: `Decision recorded: ${ref}`,
      body: withComment(`${who} ${verb}${onStep}; ticket #${ticket.number} is still waiting for approval.`, d.comment),
    };
  }
  const title = OUTCOME_TITLE[state.status] ?? `Ticket updated`;
  let body: string;
  switch (state.status) {
    case 'approved':
      body = `Ticket #${ticket.number} was approved.`;
      break;
    case 'rejected':
      body =
        d.reason === 'timeout'
          ? `Nobody decided ticket #${ticket.number}${onStep} in time, so it was rejected.`
          : `${who} rejected ticket #${ticket.number}${onStep}.`;
      break;
    case 'returned':
      body = `${who} returned ticket #${ticket.number}${onStep} for changes.`;
      break;
    case 'resolved':
      body = `Ticket #${ticket.number} was resolved.${state.resolution ? ` Resolution: ${state.resolution}` : ''}`;
      break;
    default:
      body = `Ticket #${ticket.number} is now ${state.status.replace('_', ' ')}.`;
  }
  return { title: `${title}: ${ref}`, body: withComment(body, d.comment) };
}
