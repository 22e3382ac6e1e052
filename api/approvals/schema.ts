import { APPROVAL_MODES, APPROVER_TYPES, TIMEOUT_ACTIONS } from '../../domain/approval-chain';
import { WEEKDAYS } from '../../domain/calendar';
import { ROLES } from '../../domain/roles';
import { pageQuery, z } from '../http/zod';

const interval = z.tuple([z.string(), z.string()]).openapi({ example: ['09:00', '18:00'] });
const isoDuration = z
  .string()
  .max(40)
  .openapi({ description: 'ISO 8601 duration in business time, e.g. PT4H or P2D.', example: 'P2D' });

export const calendarInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  timezone: z.string().min(1).max(64).openapi({ example: 'Asia/Taipei' }),
  workingHours: z
    .strictObject(
      Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(interval).max(12).optional()])) as Record<
        (typeof WEEKDAYS)[number],
        z.ZodOptional<z.ZodArray<typeof interval>>
      >,
    )
    .openapi({ example: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']] } }),
  holidays: z
    .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'))
    .max(1000)
    .default([]),
});

export const calendar = calendarInput
  .extend({ id: z.uuid(), createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: 'Calendar' });

const approverRef = z.strictObject({ type: z.enum(APPROVER_TYPES), value: z.string().min(1).max(100).optional() });
const escalateTo = z.union([
  z.enum(['manager', 'department_head']),
  z.strictObject({ user: z.uuid() }),
  z.strictObject({ role: z.enum(ROLES) }),
]);

export const chainStep = z.strictObject({
  name: z.string().trim().min(1).max(200),
  mode: z.enum(APPROVAL_MODES),
  quorum: z.number().int().min(1).max(100).optional(),
  approvers: z.array(approverRef).min(1).max(50),
  remindAfter: isoDuration.optional(),
  escalateAfter: isoDuration.optional(),
  escalateTo: escalateTo.optional(),
  onTimeout: z.enum(TIMEOUT_ACTIONS).optional(),
});

export const chainInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  category: z.string().trim().min(1).max(100),
  steps: z.array(chainStep).min(1).max(20),
  sla: z.strictObject({ response: isoDuration.optional(), resolution: isoDuration.optional() }).optional(),
  calendarId: z.uuid().nullish(),
});

export const chain = chainInput
  .extend({
    id: z.uuid(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ApprovalChain' });

export const chainVersionSummary = z
  .object({ version: z.number().int(), createdAt: z.string(), createdBy: z.uuid().nullable() })
  .meta({ id: 'ApprovalChainVersionSummary' });

export const listQuery = z.strictObject({ ...pageQuery });
export const listChainsQuery = z.strictObject({ ...pageQuery, category: z.string().max(100).optional() });
export const getChainQuery = z.strictObject({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .openapi({ description: 'A past version; the current one by default.' }),
});
