/**
 * `recordTicketEvent`: everything PostgreSQL keeps of one workflow event, in one transaction. Safe to retry
 * and to run late or out of order:
 *  - the history row's primary key is the event id (ON CONFLICT DO NOTHING);
 *  - the projection is only written when this state is newer than the stored one (`event_seq`);
 *  - the inbox is derived from the state, so rewriting it from the same state changes nothing, and an older
 *    state never replaces what a newer one wrote;
 *  - notifications are unique per (event, user).
 * The ticket row is locked first, so two events of one ticket never interleave their writes.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Logger } from '../../infra/logger';
import type { TicketEvent, TicketWorkflowState } from '../../workflows/ticket/definitions';
import { classified, permanent } from './errors';
import { isUuid, unique } from './ids';
import { deriveTasks, type TaskRow } from './inbox';
import { notificationText } from './notification-text';

interface LockedTicket {
  number: string;
  title: string;
  event_seq: number;
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** Refuses, without retries, input that no attempt could ever store. */
function checkInput(event: TicketEvent, state: TicketWorkflowState): void {
  if (!isUuid(event.eventId))
    throw permanent('invalid_event', `Event id ${JSON.stringify(event.eventId)} is not a UUID.`);
  if (!isUuid(event.ticketId))
    throw permanent('invalid_event', `Ticket id ${JSON.stringify(event.ticketId)} is not a UUID.`);
  if (!Number.isInteger(state.eventSeq) || state.eventSeq < 0) {
    throw permanent('invalid_event', `State eventSeq ${state.eventSeq} is not a non-negative integer.`);
  }
}

export function createRecorderActivities(deps: { sequelize: Sequelize; logger: Logger }) {
  const { sequelize } = deps;
  const q = <T extends object>(sql: string, bind: unknown[], transaction: Transaction) =>
    sequelize.query<T>(sql, { bind, type: QueryTypes.SELECT, transaction });
  const exec = (sql: string, bind: unknown[], transaction: Transaction) => sequelize.query(sql, { bind, transaction });

  async function writeHistory(event: TicketEvent, seq: number, t: Transaction) {
    await exec(
      `INSERT INTO ticket_history (id, ticket_id, at, actor_id, type, detail, seq)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
       ON CONFLICT (id) DO NOTHING`,
      [event.eventId, event.ticketId, event.at, event.actorId, event.type, json(event.detail ?? {}), seq],
      t,
    );
  }

  async function writeProjection(ticketId: string, state: TicketWorkflowState, t: Transaction) {
    await exec(
      `UPDATE tickets
          SET status = $2, approval = $3::jsonb, sla = $4::jsonb, assignee_id = $5, resolution = $6,
              event_seq = $7, updated_at = $8
        WHERE id = $1 AND event_seq < $7`,
      [
        ticketId,
        state.status,
        json(state.approval),
        json(state.sla),
        state.assigneeId,
        state.resolution,
        state.eventSeq,
        state.updatedAt,
      ],
      t,
    );
  }

  /** Upserts the derived rows (only where something changed) and closes pending rows the state no longer names. */
  async function writeInbox(ticketId: string, rows: TaskRow[], t: Transaction) {
    const col = <K extends keyof TaskRow>(k: K) => rows.map((r) => r[k]);
    if (rows.length > 0) {
      await exec(
        `INSERT INTO approval_tasks
           (id, ticket_id, step_index, step_name, user_id, on_behalf_of, status, requested_at, due_at, decided_at, updated_at)
         SELECT gen_random_uuid(), $1, r.step_index, r.step_name, r.user_id, r.on_behalf_of, r.status,
                r.requested_at, r.due_at, r.decided_at, now()
           FROM unnest($2::int[], $3::text[], $4::uuid[], $5::uuid[], $6::text[],
                       $7::timestamptz[], $8::timestamptz[], $9::timestamptz[])
             AS r(step_index, step_name, user_id, on_behalf_of, status, requested_at, due_at, decided_at)
         ON CONFLICT (ticket_id, step_index, user_id) DO UPDATE
            SET step_name = EXCLUDED.step_name, on_behalf_of = EXCLUDED.on_behalf_of, status = EXCLUDED.status,
                requested_at = EXCLUDED.requested_at, due_at = EXCLUDED.due_at, decided_at = EXCLUDED.decided_at,
                updated_at = EXCLUDED.updated_at
          WHERE (approval_tasks.step_name, approval_tasks.on_behalf_of, approval_tasks.status,
                 approval_tasks.requested_at, approval_tasks.due_at, approval_tasks.decided_at)
                IS DISTINCT FROM
                (EXCLUDED.step_name, EXCLUDED.on_behalf_of, EXCLUDED.status,
                 EXCLUDED.requested_at, EXCLUDED.due_at, EXCLUDED.decided_at)`,
        [
          ticketId,
          col('stepIndex'),
          col('stepName'),
          col('userId'),
          col('onBehalfOf'),
          col('status'),
          col('requestedAt'),
          col('dueAt'),
          col('decidedAt'),
        ],
        t,
      );
    }
    // A delegate replaced or reverted, or a whole approval dropped: their task is no longer theirs to act on.
    await exec(
      `UPDATE approval_tasks a SET status = 'closed', due_at = NULL, updated_at = now()
        WHERE a.ticket_id = $1 AND a.status = 'pending'
          AND NOT EXISTS (SELECT 1 FROM unnest($2::int[], $3::uuid[]) AS k(step_index, user_id)
                           WHERE k.step_index = a.step_index AND k.user_id = a.user_id)`,
      [ticketId, col('stepIndex'), col('userId')],
      t,
    );
  }

  async function writeNotifications(
    event: TicketEvent,
    state: TicketWorkflowState,
    ticket: { number: number; title: string },
    t: Transaction,
  ) {
    const wanted = unique(event.notify ?? []).filter(isUuid);
    if (wanted.length === 0) return;
    const lookup = unique([...wanted, isUuid(event.actorId) ? event.actorId : null]);
    const users = await q<{ id: string; display_name: string }>(
      'SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])',
      [lookup],
      t,
    );
    const names = new Map(users.map((u) => [u.id, u.display_name]));
    const recipients = wanted.filter((id) => names.has(id));
    const dropped = (event.notify ?? []).filter((id) => !recipients.includes(id));
    if (dropped.length > 0) deps.logger.warn({ eventId: event.eventId, dropped }, 'notify: unknown users left out');
    if (recipients.length === 0) return;
    const actorName = event.actorId ? (names.get(event.actorId) ?? null) : null;
    const texts = recipients.map((userId) => notificationText({ event, state, ticket, actorName, userId }));
    await exec(
      `INSERT INTO notifications (id, user_id, ticket_id, event_id, type, title, body, created_at)
       SELECT gen_random_uuid(), n.user_id, $1, $2, $3, n.title, n.body, $4
         FROM unnest($5::uuid[], $6::text[], $7::text[]) AS n(user_id, title, body)
       ON CONFLICT (event_id, user_id) DO NOTHING`,
      [
        event.ticketId,
        event.eventId,
        event.type,
        event.at,
        recipients,
        texts.map((x) => x.title),
        texts.map((x) => x.body),
      ],
      t,
    );
  }

  return {
    async recordTicketEvent({ event, state }: { event: TicketEvent; state: TicketWorkflowState }): Promise<void> {
      checkInput(event, state);
      const log = deps.logger.child({ ticketId: event.ticketId, eventId: event.eventId, type: event.type });
      await classified(() =>
        sequelize.transaction(async (t) => {
          const [locked] = await q<LockedTicket>(
            'SELECT number, title, event_seq FROM tickets WHERE id = $1 FOR UPDATE',
            [event.ticketId],
            t,
          );
          if (!locked) throw permanent('ticket_not_found', `Ticket ${event.ticketId} does not exist.`);
          await writeHistory(event, state.eventSeq, t);
          if (state.eventSeq > locked.event_seq) await writeProjection(event.ticketId, state, t);
          // Equal: a retry of the event already applied, or another event of the same state; rewriting the
          // inbox from it is a no-op. Older: a newer state already wrote the inbox and the projection.
          if (state.eventSeq >= locked.event_seq) await writeInbox(event.ticketId, deriveTasks(state, event.at), t);
          else log.info({ stored: locked.event_seq, seq: state.eventSeq }, 'older event: projection and inbox kept');
          await writeNotifications(event, state, { number: Number(locked.number), title: locked.title }, t);
        }),
      );
    },
  };
}
