import { storedFileFields } from '../http/upload';
import { TICKET_STATUSES } from '../../domain/ticket-state';
import { pageQuery, z } from '../http/zod';

const priority = z.enum(['low', 'normal', 'high', 'urgent']);
const fields = z
  .record(z.string().max(100), z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]))
  .refine((v) => Object.keys(v).length <= 50, 'at most 50 custom fields')
  .openapi({ description: 'Custom form fields of the category (flat values).' });

export const createTicket = z.strictObject({
  title: z.string().trim().min(1).max(300),
  description: z.string().max(50_000).default(''),
  category: z.string().trim().min(1).max(100),
  priority: priority.default('normal'),
  fields: fields.optional(),
  submit: z.boolean().default(false).openapi({ description: 'Submit at once (starts the approval workflow).' }),
});

export const updateTicket = z
  .strictObject({
    title: z.string().trim().min(1).max(300).optional(),
    description: z.string().max(50_000).optional(),
    category: z.string().trim().min(1).max(100).optional(),
    priority: priority.optional(),
    fields: fields.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');

export const listTicketsQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(TICKET_STATUSES).optional(),
  category: z.string().max(100).optional(),
  requester: z.uuid().optional(),
  assignee: z.uuid().optional(),
  q: z.string().trim().min(1).max(200).optional().openapi({ description: 'Words in the title or description.' }),
});

export const decisionInput = z.strictObject({
  decision: z.enum(['approve', 'reject', 'return']),
  comment: z.string().max(5000).optional(),
});

export const delegationInput = z.strictObject({
  toUserId: z.uuid(),
  until: z.iso.datetime({ offset: true }).optional().openapi({ description: 'The delegation reverts by itself then.' }),
  comment: z.string().max(5000).optional(),
});

export const commentOnly = z.strictObject({ comment: z.string().max(5000).optional() });
export const assignInput = z.strictObject({ assigneeId: z.uuid(), comment: z.string().max(5000).optional() });
export const resolveInput = z.strictObject({ resolution: z.string().trim().min(1).max(20_000) });

const stepApprover = z.object({
  userId: z.uuid(),
  decision: z.enum(['approve', 'reject', 'return']).nullable(),
  decidedAt: z.string().nullable(),
  delegatedTo: z.uuid().nullable().optional(),
  delegatedUntil: z.string().nullable().optional(),
  comment: z.string().optional(),
});

export const approvalState = z
  .object({
    chainId: z.uuid(),
    chainVersion: z.number().int(),
    currentStep: z.number().int().nullable(),
    steps: z.array(
      z.object({
        name: z.string(),
        mode: z.enum(['all', 'any', 'quorum']),
        quorum: z.number().int().optional(),
        status: z.enum(['pending', 'approved', 'rejected', 'returned', 'skipped']),
        approvers: z.array(stepApprover),
        startedAt: z.string().nullable(),
        finishedAt: z.string().nullable(),
      }),
    ),
    nextReminderAt: z.string().nullable(),
    nextEscalationAt: z.string().nullable(),
  })
  .meta({ id: 'ApprovalState' });

export const slaState = z
  .object({ responseDueAt: z.string().nullable(), resolutionDueAt: z.string().nullable(), breached: z.boolean() })
  .meta({ id: 'SlaState' });

export const ticket = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    title: z.string(),
    description: z.string(),
    category: z.string(),
    priority,
    fields: z.record(z.string(), z.unknown()),
    status: z.enum(TICKET_STATUSES),
    requesterId: z.uuid(),
    assigneeId: z.uuid().nullable(),
    resolution: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    submittedAt: z.string().nullable(),
    approval: approvalState.nullable(),
    sla: slaState.nullable(),
  })
  .meta({ id: 'Ticket' });

export const historyEntry = z
  .object({ at: z.string(), actorId: z.uuid().nullable(), type: z.string(), detail: z.record(z.string(), z.unknown()) })
  .meta({ id: 'HistoryEntry' });

export const commentInput = z.strictObject({
  body: z.string().trim().min(1).max(20_000),
  internal: z.boolean().default(false).openapi({ description: 'Internal note: hidden from the requester.' }),
});
export const comment = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    authorId: z.uuid(),
    body: z.string(),
    internal: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'Comment' });

export const attachment = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    ...storedFileFields,
  })
  .meta({ id: 'Attachment' });

export const approvalsQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(['pending', 'decided', 'all']).default('pending'),
});
export const approvalTask = z
  .object({
    ticketId: z.uuid(),
    ticketNumber: z.number().int(),
    title: z.string(),
    step: z.string(),
    stepIndex: z.number().int(),
    status: z.string(),
    onBehalfOf: z.uuid().nullable(),
    requestedAt: z.string(),
    dueAt: z.string().nullable(),
  })
  .meta({ id: 'ApprovalTask' });

export const notificationsQuery = z.strictObject({
  ...pageQuery,
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
});
export const notification = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid().nullable(),
    type: z.string(),
    title: z.string(),
    body: z.string(),
    read: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'Notification' });
