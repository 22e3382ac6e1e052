/**
 * `publishTicketEvent`: one message per event on `ticket-events`. Key = ticket id, so one ticket's events stay
 * in one partition, in order; the `event-id` header and `eventId` field let consumers drop the duplicates an
 * activity retry can cause (the send succeeded but the acknowledgement was lost). Schema: docs/events.md.
 */
import type { EventBus } from '../../infra/kafka';
import { TOPICS } from '../../infra/kafka';
import type { TicketEvent, TicketEventType, TicketWorkflowState } from '../../workflows/ticket/definitions';
import type { TicketStatus } from '../../domain/ticket-state';

export const TICKET_EVENT_SCHEMA_VERSION = 1;

/** The JSON value of a `ticket-events` message. */
export interface TicketEventEnvelope {
  eventId: string;
  type: `ticket.${TicketEventType}`;
  ticketId: string;
  /** ISO instant the workflow recorded the event at. */
  occurredAt: string;
  actorId: string | null;
  detail: Record<string, unknown>;
  /** The ticket's status after the event. */
  status: TicketStatus;
  schemaVersion: typeof TICKET_EVENT_SCHEMA_VERSION;
}

export function toEnvelope(event: TicketEvent, state: Pick<TicketWorkflowState, 'status'>): TicketEventEnvelope {
  return {
    eventId: event.eventId,
    type: `ticket.${event.type}`,
    ticketId: event.ticketId,
    occurredAt: event.at,
    actorId: event.actorId,
    detail: event.detail ?? {},
    status: state.status,
    schemaVersion: TICKET_EVENT_SCHEMA_VERSION,
  };
}

export function createPublisherActivities(deps: { kafka: Pick<EventBus, 'publish'> }) {
  return {
    async publishTicketEvent({ event, state }: { event: TicketEvent; state: TicketWorkflowState }): Promise<void> {
      const value = toEnvelope(event, state);
      // Broker and network errors are thrown as they are: Temporal retries, the idempotent producer and the
      // consumers' de-duplication on eventId keep that harmless.
      await deps.kafka.publish(TOPICS.ticketEvents, [
        { key: event.ticketId, eventId: event.eventId, type: value.type, value },
      ]);
    },
  };
}
