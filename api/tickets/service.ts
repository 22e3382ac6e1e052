import { randomUUID } from 'node:crypto';
import { Op, type WhereOptions } from 'sequelize';
import { AppError, conflict, forbidden, notFound } from '../../domain/errors';
import { hasRole, type Principal } from '../../domain/roles';
import type { BusinessCalendar } from '../../domain/calendar';
import { ApprovalTask, Ticket, TicketHistory, User } from '../../models';
import {
  actUpdate,
  decideUpdate,
  delegateUpdate,
  resubmitUpdate,
  type ActArgs,
  type DecideArgs,
  type DelegateArgs,
  type Priority,
  type TicketWorkflowInput,
  type TicketWorkflowState,
} from '../../workflows/ticket/definitions';
import type { ApprovalConfigService } from '../approvals/service';
import { keysetPage } from '../http/pagination';
import { canEditContent, canSeeTicket, visibleTicketsWhere } from './policy';
import type { TicketWorkflows } from './workflow-client';

export interface NewTicket {
  title: string;
  description: string;
  category: string;
  priority: Priority;
  fields?: Record<string, unknown> | undefined;
  submit: boolean;
}

export type TicketChanges = Partial<Omit<NewTicket, 'submit'>>;

/** A ticket row with the workflow's live state laid over it while the workflow runs. */
export interface TicketView {
  ticket: Ticket;
  state: TicketWorkflowState | null;
}

const RUNNING = new Set(['pending_approval', 'returned', 'approved', 'in_progress', 'resolved']);

/** Tickets: the rows in PostgreSQL, and every status change through the ticket's workflow. */
export class TicketService {
  constructor(
    private readonly workflows: TicketWorkflows,
    private readonly approvals: ApprovalConfigService,
  ) {}

  async create(user: Principal, input: NewTicket): Promise<TicketView> {
    const ticket = await Ticket.create({
      title: input.title,
      description: input.description,
      category: input.category,
      priority: input.priority,
      fields: input.fields ?? {},
      status: 'draft',
      requesterId: user.id,
      departmentId: user.departmentId,
      assigneeId: null,
      chainId: null,
      chainVersion: null,
      approval: null,
      sla: null,
      resolution: null,
      submittedAt: null,
    });
    await this.note(ticket.id, user.id, 'created', {
      title: ticket.title,
      category: ticket.category,
      priority: ticket.priority,
    });
    if (input.submit) return this.submitTicket(user, ticket);
    return { ticket, state: null };
  }

  async list(
    user: Principal,
    query: {
      limit: number;
      cursor?: string | undefined;
      status?: string | undefined;
      category?: string | undefined;
      requester?: string | undefined;
      assignee?: string | undefined;
      q?: string | undefined;
    },
  ) {
    const conditions: WhereOptions[] = [visibleTicketsWhere(user)];
    if (query.status) conditions.push({ status: query.status });
    if (query.category) conditions.push({ category: query.category });
    if (query.requester) conditions.push({ requesterId: query.requester });
    if (query.assignee) conditions.push({ assigneeId: query.assignee });
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push({ [Op.or]: [{ title: { [Op.iLike]: like } }, { description: { [Op.iLike]: like } }] });
    }
    return keysetPage(Ticket, { [Op.and]: conditions }, query);
  }

  /** The ticket if the caller may see it; 404 otherwise (also for tickets that exist but are not theirs). */
  async load(user: Principal, id: string): Promise<Ticket> {
    const ticket = await Ticket.findByPk(id);
    if (!ticket) throw notFound('Ticket');
    const wasAsked =
      ticket.requesterId !== user.id && (await ApprovalTask.count({ where: { ticketId: id, userId: user.id } })) > 0;
    if (!canSeeTicket(user, ticket, wasAsked)) throw notFound('Ticket');
    return ticket;
  }

  async get(user: Principal, id: string): Promise<TicketView> {
    const ticket = await this.load(user, id);
    return { ticket, state: RUNNING.has(ticket.status) ? ((await this.workflows.state(id)) ?? null) : null };
  }

  async update(user: Principal, id: string, changes: TicketChanges): Promise<TicketView> {
    const ticket = await this.load(user, id);
    if (!canEditContent(user, ticket)) {
      if (ticket.requesterId !== user.id) throw forbidden('Only the requester edits a ticket.');
      throw conflict(
        `A ${ticket.status} ticket cannot be edited; only drafts and returned tickets can.`,
        'invalid_transition',
      );
    }
    // Category changes matter only before submission: a returned ticket keeps its pinned chain.
    if (changes.category !== undefined && ticket.status !== 'draft' && changes.category !== ticket.category) {
      throw conflict('The category of a submitted ticket cannot change.', 'invalid_transition');
    }
    await ticket.update({ ...changes, fields: changes.fields ?? ticket.fields });
    await this.note(id, user.id, 'updated', { fields: Object.keys(changes) });
    return { ticket, state: null };
  }

  async submit(user: Principal, id: string): Promise<TicketView> {
    const ticket = await this.load(user, id);
    if (ticket.requesterId !== user.id) throw forbidden('Only the requester submits a ticket.');
    if (ticket.status === 'returned') {
      const state = await this.workflows.update(id, resubmitUpdate, { actorId: user.id, title: ticket.title });
      return { ticket: await ticket.reload(), state };
    }
    if (ticket.status !== 'draft')
      throw conflict(`A ${ticket.status} ticket cannot be submitted.`, 'invalid_transition');
    return this.submitTicket(user, ticket);
  }

  private async submitTicket(user: Principal, ticket: Ticket): Promise<TicketView> {
    const pinned = await this.approvals.forSubmission(ticket.category);
    const requester = await User.findByPk(ticket.requesterId);
    const submittedAt = new Date();
    // Claim the draft first: of two racing submissions exactly one starts the workflow.
    const [claimed] = await Ticket.update(
      {
        status: pinned ? 'pending_approval' : 'approved',
        submittedAt,
        chainId: pinned?.chain.id ?? null,
        chainVersion: pinned?.version.version ?? null,
      },
      { where: { id: ticket.id, status: 'draft' } },
    );
    if (claimed !== 1) throw conflict('The ticket is already submitted.', 'already_submitted');
    const input: TicketWorkflowInput = {
      ticketId: ticket.id,
      number: ticket.number,
      title: ticket.title,
      category: ticket.category,
      priority: ticket.priority,
      requester: {
        id: user.id,
        managerId: requester?.managerId ?? null,
        departmentId: requester?.departmentId ?? null,
      },
      chain: pinned
        ? { id: pinned.chain.id, version: pinned.version.version, definition: pinned.version.definition }
        : null,
      calendar: pinned?.calendar ? toCalendar(pinned.calendar) : null,
      submittedAt: submittedAt.toISOString(),
    };
    try {
      await this.workflows.start(input);
    } catch (err) {
      // Nothing runs for this ticket: give the draft back so the requester can try again.
      await Ticket.update(
        { status: 'draft', submittedAt: null, chainId: null, chainVersion: null },
        { where: { id: ticket.id } },
      );
      throw err;
    }
    // The workflow fills in the approval state within moments (GET shows it live); querying it here would
    // make every submission wait for a worker's first workflow task.
    return { ticket: await ticket.reload(), state: null };
  }

  async decide(user: Principal, id: string, args: Omit<DecideArgs, 'actorId'>): Promise<TicketView> {
    const ticket = await this.load(user, id);
    const state = await this.workflows.update(id, decideUpdate, { ...args, actorId: user.id });
    return { ticket: await ticket.reload(), state };
  }

  async delegate(user: Principal, id: string, args: Omit<DelegateArgs, 'actorId'>): Promise<TicketView> {
    const ticket = await this.load(user, id);
    const to = await User.findByPk(args.toUserId);
    if (!to || !to.active) {
      throw new AppError(400, 'validation_failed', 'The request is not valid.', [
        { path: 'body.toUserId', message: 'no such active user' },
      ]);
    }
    const state = await this.workflows.update(id, delegateUpdate, { ...args, actorId: user.id });
    return { ticket: await ticket.reload(), state };
  }

  /** Status changes of processing (assign, resolve, close, reopen, cancel) through the workflow. */
  async act(
    user: Principal,
    id: string,
    args: Omit<ActArgs, 'actorId' | 'roles' | 'isRequester'>,
  ): Promise<TicketView> {
    const ticket = await this.load(user, id);
    const isRequester = ticket.requesterId === user.id;
    if (args.action === 'assign' && args.assigneeId) {
      const assignee = await User.findByPk(args.assigneeId);
      if (!assignee || !assignee.active || !hasRole(assignee, 'agent', 'admin')) {
        throw new AppError(400, 'validation_failed', 'The request is not valid.', [
          { path: 'body.assigneeId', message: 'not an active agent' },
        ]);
      }
    }
    if (ticket.status === 'draft' && args.action === 'cancel' && isRequester) {
      // A draft has no workflow yet: cancelling it is a plain row change.
      await ticket.update({ status: 'cancelled' });
      await this.note(id, user.id, 'status_changed', { from: 'draft', to: 'cancelled', comment: args.comment ?? null });
      return { ticket, state: null };
    }
    const state = await this.workflows.update(id, actUpdate, {
      ...args,
      actorId: user.id,
      roles: user.roles,
      isRequester,
    });
    return { ticket: await ticket.reload(), state };
  }

  async history(user: Principal, id: string): Promise<TicketHistory[]> {
    await this.load(user, id);
    return TicketHistory.findAll({
      where: { ticketId: id },
      order: [
        ['at', 'ASC'],
        ['seq', 'ASC NULLS FIRST'],
      ],
    });
  }

  /** History entries written by the API itself (created, edited, commented); workflow events come from activities. */
  async note(ticketId: string, actorId: string, type: string, detail: Record<string, unknown>): Promise<void> {
    await TicketHistory.create({ id: randomUUID(), ticketId, at: new Date(), actorId, type, detail, seq: null });
  }
}

const toCalendar = (c: {
  timezone: string;
  workingHours: BusinessCalendar['workingHours'];
  holidays: string[];
}): BusinessCalendar => ({
  timezone: c.timezone,
  workingHours: c.workingHours,
  holidays: c.holidays,
});
