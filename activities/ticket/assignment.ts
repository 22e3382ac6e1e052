/**
 * `pickAssignee`: who a category rule gives an approved ticket to. The rule's agent when they are an active
 * agent; otherwise the active agent of the rule's department with the fewest open tickets (approved or in
 * progress), ties broken by id so the answer is stable; null without a rule or without anyone to give it to.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import type { RequesterRef } from '../../workflows/ticket/definitions';
import { isUuid } from './ids';

/** Ticket statuses that count as an agent's open work. */
export const OPEN_WORK_STATUSES = ['approved', 'in_progress'] as const;

interface RuleRow {
  assignee_id: string | null;
  department_id: string | null;
  assignee_ok: boolean;
}

export function createAssignmentActivities(deps: { sequelize: Sequelize }) {
  const { sequelize } = deps;
  return {
    async pickAssignee(input: { ticketId: string; category: string; requester: RequesterRef }): Promise<string | null> {
      const [rule] = await sequelize.query<RuleRow>(
        `SELECT r.assignee_id, r.department_id,
                coalesce(u.active AND 'agent' = ANY(u.roles), false) AS assignee_ok
           FROM category_rules r LEFT JOIN users u ON u.id = r.assignee_id
          WHERE lower(r.category) = lower($1)`,
        { bind: [input.category], type: QueryTypes.SELECT },
      );
      if (!rule) return null;
      if (rule.assignee_id && rule.assignee_ok) return rule.assignee_id;
      if (!rule.department_id) return null;
      // This ticket's own assignment is left out of the counts, so a retry after it was assigned answers the same.
      const [agent] = await sequelize.query<{ id: string }>(
        `SELECT u.id
           FROM users u
           LEFT JOIN tickets t ON t.assignee_id = u.id AND t.status = ANY($2::text[]) AND t.id IS DISTINCT FROM $3::uuid
          WHERE u.active AND 'agent' = ANY(u.roles) AND u.department_id = $1
          GROUP BY u.id
          ORDER BY count(t.id), u.id
          LIMIT 1`,
        {
          bind: [rule.department_id, [...OPEN_WORK_STATUSES], isUuid(input.ticketId) ? input.ticketId : null],
          type: QueryTypes.SELECT,
        },
      );
      return agent?.id ?? null;
    },
  };
}
