/**
 * Approver resolution against the directory (users, departments). Each activity loads only the people the
 * step or escalation can name, as a plain {@link ResolutionContext}, and leaves the choosing to the pure
 * functions of `domain/approval-chain`.
 */
import { Op, QueryTypes, type Sequelize } from 'sequelize';
import {
  resolveApprovers,
  resolveEscalation,
  type ChainStep,
  type EscalationTarget,
  type ResolutionContext,
  type ResolvedApprovers,
} from '../../domain/approval-chain';
import type { RequesterRef } from '../../workflows/ticket/definitions';
import { Department, User } from '../../models';
import { isUuid, unique } from './ids';

/** The requester as the directory knows them now; the submission-time snapshot when the row is gone. */
async function currentRequester(ref: RequesterRef): Promise<ResolutionContext['requester']> {
  const row = await User.findByPk(ref.id, { attributes: ['id', 'managerId', 'departmentId'] });
  return row
    ? { id: ref.id, managerId: row.managerId, departmentId: row.departmentId }
    : { id: ref.id, managerId: ref.managerId, departmentId: ref.departmentId };
}

/** Active user ids per role, for the roles named (users hold roles in a text[] column). */
async function activeUsersByRole(sequelize: Sequelize, roles: string[]): Promise<Record<string, string[]>> {
  const byRole: Record<string, string[]> = {};
  if (roles.length === 0) return byRole;
  const rows = await sequelize.query<{ id: string; roles: string[] }>(
    'SELECT id, roles FROM users WHERE active AND roles && $1::text[] ORDER BY id',
    { bind: [roles], type: QueryTypes.SELECT },
  );
  for (const role of roles) byRole[role] = rows.filter((r) => r.roles.includes(role)).map((r) => r.id);
  return byRole;
}

/** Head per department id, for the departments named (unknown ids map to null). */
async function headsOf(departmentIds: (string | null | undefined)[]): Promise<Record<string, string | null>> {
  const ids = unique(departmentIds).filter(isUuid);
  const heads: Record<string, string | null> = {};
  if (ids.length === 0) return heads;
  const rows = await Department.findAll({ where: { id: { [Op.in]: ids } }, attributes: ['id', 'headId'] });
  for (const row of rows) heads[row.id] = row.headId ?? null;
  return heads;
}

/** Which of the candidate ids are active users; anything else (inactive, unknown, not a UUID) is left out. */
async function activeAmong(candidates: (string | null | undefined)[]): Promise<string[]> {
  const ids = unique(candidates).filter(isUuid);
  if (ids.length === 0) return [];
  const rows = await User.findAll({ where: { id: { [Op.in]: ids }, active: true }, attributes: ['id'] });
  return rows.map((r) => r.id);
}

/** The people a chain step can name, loaded now: role members, the requester's manager, department heads. */
export async function stepContext(
  sequelize: Sequelize,
  step: ChainStep,
  ref: RequesterRef,
): Promise<ResolutionContext> {
  const requester = await currentRequester(ref);
  const roles = unique(step.approvers.filter((a) => a.type === 'role').map((a) => a.value));
  const usersByRole = await activeUsersByRole(sequelize, roles);
  const departmentHeads = await headsOf(
    step.approvers.filter((a) => a.type === 'department_head').map((a) => a.value ?? requester.departmentId),
  );
  const activeUserIds = await activeAmong([
    ...step.approvers.filter((a) => a.type === 'user').map((a) => a.value),
    ...(step.approvers.some((a) => a.type === 'manager') ? [requester.managerId] : []),
    ...Object.values(departmentHeads),
    ...Object.values(usersByRole).flat(),
  ]);
  return { requester, usersByRole, departmentHeads, activeUserIds };
}

/** The people an escalation can bring in: managers and departments of the silent approvers, a user or a role. */
export async function escalationContext(
  sequelize: Sequelize,
  target: EscalationTarget,
  silentIds: string[],
  ref: RequesterRef,
): Promise<ResolutionContext> {
  const requester = await currentRequester(ref);
  const silent = unique(silentIds).filter(isUuid);
  const people =
    (target === 'manager' || target === 'department_head') && silent.length > 0
      ? await User.findAll({ where: { id: { [Op.in]: silent } }, attributes: ['id', 'managerId', 'departmentId'] })
      : [];
  const managers: Record<string, string | null> = {};
  const departments: Record<string, string | null> = {};
  let departmentHeads: Record<string, string | null> = {};
  let usersByRole: Record<string, string[]> = {};
  let candidates: (string | null | undefined)[];
  if (target === 'manager') {
    for (const p of people) managers[p.id] = p.managerId;
    candidates = Object.values(managers);
  } else if (target === 'department_head') {
    for (const p of people) departments[p.id] = p.departmentId;
    departmentHeads = await headsOf([...Object.values(departments), requester.departmentId]);
    candidates = Object.values(departmentHeads);
  } else if ('user' in target) {
    candidates = [target.user];
  } else {
    usersByRole = await activeUsersByRole(sequelize, [target.role]);
    candidates = usersByRole[target.role] ?? [];
  }
  const activeUserIds = await activeAmong(candidates);
  return { requester, usersByRole, departmentHeads, managers, departments, activeUserIds };
}

/** `resolveStepApprovers` and `resolveEscalationTargets`. */
export function createApproverActivities(deps: { sequelize: Sequelize }) {
  return {
    async resolveStepApprovers(input: {
      ticketId: string;
      step: ChainStep;
      requester: RequesterRef;
    }): Promise<ResolvedApprovers> {
      return resolveApprovers(input.step, await stepContext(deps.sequelize, input.step, input.requester));
    },

    async resolveEscalationTargets(input: {
      ticketId: string;
      target: EscalationTarget;
      silentIds: string[];
      requester: RequesterRef;
    }): Promise<string[]> {
      const ctx = await escalationContext(deps.sequelize, input.target, input.silentIds, input.requester);
      return resolveEscalation(input.target, input.silentIds, ctx);
    },
  };
}
