import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { attachmentColumns } from './attachment-columns';
import type { ApprovalChainDefinition } from '../domain/approval-chain';
import type { BusinessCalendar } from '../domain/calendar';
import type { TicketStatus } from '../domain/ticket-state';
import type { ApprovalState, Priority, SlaState } from '../workflows/ticket/definitions';

type Attrs<M extends Model> = InferAttributes<M>;
type Creation<M extends Model> = InferCreationAttributes<M>;

export class Calendar extends Model<Attrs<Calendar>, Creation<Calendar>> {
  declare id: CreationOptional<string>;
  declare name: string;
  declare timezone: string;
  declare workingHours: BusinessCalendar['workingHours'];
  declare holidays: string[];
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A chain's identity; its definitions are immutable {@link ApprovalChainVersion}s. */
export class ApprovalChain extends Model<Attrs<ApprovalChain>, Creation<ApprovalChain>> {
  declare id: CreationOptional<string>;
  declare name: string;
  /** Tickets of this category run this chain; at most one chain per category. */
  declare category: string;
  declare currentVersion: number;
  declare createdBy: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class ApprovalChainVersion extends Model<Attrs<ApprovalChainVersion>, Creation<ApprovalChainVersion>> {
  declare id: CreationOptional<string>;
  declare chainId: string;
  declare version: number;
  declare definition: ApprovalChainDefinition;
  declare createdBy: string | null;
  declare createdAt: CreationOptional<Date>;
}

export class Ticket extends Model<Attrs<Ticket>, Creation<Ticket>> {
  declare id: CreationOptional<string>;
  /** Human-facing number from the `ticket_number_seq` sequence. */
  declare number: CreationOptional<number>;
  declare title: string;
  declare description: string;
  declare category: string;
  declare priority: Priority;
  declare fields: Record<string, unknown>;
  declare status: TicketStatus;
  declare requesterId: string;
  /** The requester's department when the ticket was created (agents of it see the ticket). */
  declare departmentId: string | null;
  declare assigneeId: string | null;
  declare chainId: string | null;
  declare chainVersion: number | null;
  /** Projection of the workflow's live state, written by activities. */
  declare approval: ApprovalState | null;
  declare sla: SlaState | null;
  declare resolution: string | null;
  /** Sequence number of the last workflow event applied to this row (older events never overwrite it). */
  declare eventSeq: CreationOptional<number>;
  declare submittedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** Every submission, decision, reminder, escalation, delegation, SLA breach, status change and comment. */
export class TicketHistory extends Model<Attrs<TicketHistory>, Creation<TicketHistory>> {
  /** The event id: workflow events bring their own, so a retried activity never writes twice. */
  declare id: string;
  declare ticketId: string;
  declare at: Date;
  declare actorId: string | null;
  declare type: string;
  declare detail: Record<string, unknown>;
  declare seq: number | null;
}

/** The approval inbox: one row per (ticket, step, person asked to act). */
export class ApprovalTask extends Model<Attrs<ApprovalTask>, Creation<ApprovalTask>> {
  declare id: CreationOptional<string>;
  declare ticketId: string;
  declare stepIndex: number;
  declare stepName: string;
  declare userId: string;
  /** The approver a delegate or escalation target acts for; null for the approver's own task. */
  declare onBehalfOf: string | null;
  declare status: 'pending' | 'approved' | 'rejected' | 'returned' | 'closed';
  declare requestedAt: Date;
  declare dueAt: Date | null;
  declare decidedAt: Date | null;
  declare updatedAt: CreationOptional<Date>;
}

export class Notification extends Model<Attrs<Notification>, Creation<Notification>> {
  declare id: CreationOptional<string>;
  declare userId: string;
  declare ticketId: string | null;
  /** The event that caused it; unique with the user, so a retry never notifies twice. */
  declare eventId: string;
  declare type: string;
  declare title: string;
  declare body: string;
  declare readAt: Date | null;
  declare createdAt: CreationOptional<Date>;
}

export class TicketComment extends Model<Attrs<TicketComment>, Creation<TicketComment>> {
  declare id: CreationOptional<string>;
  declare ticketId: string;
  declare authorId: string;
  declare body: string;
  /** Internal notes are visible to agents, approvers and admins only, not the requester. */
  declare internal: boolean;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Attachment extends Model<Attrs<Attachment>, Creation<Attachment>> {
  declare id: CreationOptional<string>;
  declare ticketId: string;
  declare uploaderId: string;
  declare filename: string;
  declare contentType: string;
  declare size: number;
  declare objectKey: string;
  declare sha256: string;
  declare createdAt: CreationOptional<Date>;
}

/** Who an approved ticket of a category is assigned to: an agent, or the least busy agent of a department. */
export class CategoryRule extends Model<Attrs<CategoryRule>, Creation<CategoryRule>> {
  declare id: CreationOptional<string>;
  declare category: string;
  declare assigneeId: string | null;
  declare departmentId: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initTicketModels(sequelize: Sequelize): void {
  // A fresh definition per model: Sequelize writes into the attribute objects it is given.
  const id = () => ({ type: DataTypes.UUID, defaultValue: DataTypes.UUIDV4, primaryKey: true });
  const ts = { createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE };
  const opts = (tableName: string) => ({ sequelize, tableName, underscored: true });
  Calendar.init(
    {
      id: id(),
      name: { type: DataTypes.TEXT, allowNull: false },
      timezone: { type: DataTypes.TEXT, allowNull: false },
      workingHours: { type: DataTypes.JSONB, allowNull: false },
      holidays: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
      ...ts,
    },
    opts('calendars'),
  );
  ApprovalChain.init(
    {
      id: id(),
      name: { type: DataTypes.TEXT, allowNull: false },
      category: { type: DataTypes.TEXT, allowNull: false },
      currentVersion: { type: DataTypes.INTEGER, allowNull: false },
      createdBy: { type: DataTypes.UUID },
      ...ts,
    },
    opts('approval_chains'),
  );
  ApprovalChainVersion.init(
    {
      id: id(),
      chainId: { type: DataTypes.UUID, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false },
      definition: { type: DataTypes.JSONB, allowNull: false },
      createdBy: { type: DataTypes.UUID },
      createdAt: DataTypes.DATE,
    },
    { ...opts('approval_chain_versions'), updatedAt: false },
  );
  Ticket.init(
    {
      id: id(),
      number: {
        // Filled by the database from ticket_number_seq (NOT NULL there).
        type: DataTypes.BIGINT,
        get() {
          return Number(this.getDataValue('number'));
        },
      },
      title: { type: DataTypes.TEXT, allowNull: false },
      description: { type: DataTypes.TEXT, allowNull: false },
      category: { type: DataTypes.TEXT, allowNull: false },
      priority: { type: DataTypes.TEXT, allowNull: false },
      fields: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
      status: { type: DataTypes.TEXT, allowNull: false },
      requesterId: { type: DataTypes.UUID, allowNull: false },
      departmentId: { type: DataTypes.UUID },
      assigneeId: { type: DataTypes.UUID },
      chainId: { type: DataTypes.UUID },
      chainVersion: { type: DataTypes.INTEGER },
      approval: { type: DataTypes.JSONB },
      sla: { type: DataTypes.JSONB },
      resolution: { type: DataTypes.TEXT },
      eventSeq: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      submittedAt: { type: DataTypes.DATE },
      ...ts,
    },
    opts('tickets'),
  );
  TicketHistory.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      ticketId: { type: DataTypes.UUID, allowNull: false },
      at: { type: DataTypes.DATE, allowNull: false },
      actorId: { type: DataTypes.UUID },
      type: { type: DataTypes.TEXT, allowNull: false },
      detail: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
      seq: { type: DataTypes.INTEGER },
    },
    { ...opts('ticket_history'), timestamps: false },
  );
  ApprovalTask.init(
    {
      id: id(),
      ticketId: { type: DataTypes.UUID, allowNull: false },
      stepIndex: { type: DataTypes.INTEGER, allowNull: false },
      stepName: { type: DataTypes.TEXT, allowNull: false },
      userId: { type: DataTypes.UUID, allowNull: false },
      onBehalfOf: { type: DataTypes.UUID },
      status: { type: DataTypes.TEXT, allowNull: false },
      requestedAt: { type: DataTypes.DATE, allowNull: false },
      dueAt: { type: DataTypes.DATE },
      decidedAt: { type: DataTypes.DATE },
      updatedAt: DataTypes.DATE,
    },
    { ...opts('approval_tasks'), createdAt: false },
  );
  Notification.init(
    {
      id: id(),
      userId: { type: DataTypes.UUID, allowNull: false },
      ticketId: { type: DataTypes.UUID },
      eventId: { type: DataTypes.UUID, allowNull: false },
      type: { type: DataTypes.TEXT, allowNull: false },
      title: { type: DataTypes.TEXT, allowNull: false },
      body: { type: DataTypes.TEXT, allowNull: false },
      readAt: { type: DataTypes.DATE },
      createdAt: DataTypes.DATE,
    },
    { ...opts('notifications'), updatedAt: false },
  );
  TicketComment.init(
    {
      id: id(),
      ticketId: { type: DataTypes.UUID, allowNull: false },
      authorId: { type: DataTypes.UUID, allowNull: false },
      body: { type: DataTypes.TEXT, allowNull: false },
      internal: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      ...ts,
    },
    opts('ticket_comments'),
  );
  Attachment.init(
    {
      id: id(),
      ticketId: { type: DataTypes.UUID, allowNull: false },
      ...attachmentColumns(),
    },
    { ...opts('attachments'), updatedAt: false },
  );
  CategoryRule.init(
    {
      id: id(),
      category: { type: DataTypes.TEXT, allowNull: false },
      assigneeId: { type: DataTypes.UUID },
      departmentId: { type: DataTypes.UUID },
      ...ts,
    },
    opts('category_rules'),
  );
}
