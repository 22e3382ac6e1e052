import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { TOPICS } from '../../infra/kafka';
import { createHarness, type Harness } from '../../test/harness';
import type { TicketEvent, TicketWorkflowState } from '../../workflows/ticket/definitions';
import { createTicketActivities, type TicketActivities } from '.';

interface Received {
  key: string | undefined;
  headers: Record<string, string>;
  value: Record<string, unknown>;
}

/** publishTicketEvent against the real broker, read back by a consumer group. */
describe('ticket activities: publishTicketEvent (Kafka)', () => {
  let h: Harness;
  let acts: TicketActivities;
  let consumer: Consumer;
  const received = new Map<string, Received[]>();
  const waiters: (() => void)[] = [];

  beforeAll(async () => {
    h = await createHarness();
    acts = createTicketActivities(h.infra);
    await h.infra.kafka.ensureTopics([TOPICS.ticketEvents]);
    consumer = h.infra.kafka.consumer({ groupId: `test-ticket-events-${randomUUID()}` });
    await consumer.connect();
    // From the beginning, so nothing published before the group is assigned its partitions is missed;
    // messages of other runs are told apart by event id.
    await consumer.subscribe({ topic: TOPICS.ticketEvents, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        const eventId = headers['event-id'] ?? '';
        received.set(eventId, [
          ...(received.get(eventId) ?? []),
          { key: message.key?.toString(), headers, value: JSON.parse(message.value!.toString()) },
        ]);
        for (const wake of waiters.splice(0)) wake();
      },
    });
  });

  afterAll(async () => {
    await consumer.disconnect();
    await h.close();
  });

  async function messagesOf(eventId: string, count: number, timeoutMs = 30_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while ((received.get(eventId)?.length ?? 0) < count) {
      if (Date.now() > deadline) throw new Error(`no ${count} message(s) for event ${eventId} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 500);
      });
    }
    return received.get(eventId)!;
  }

  it('publishes the envelope keyed by ticket id, with the event-id and event-type headers', async () => {
    const ticketId = randomUUID();
    const event: TicketEvent = {
      eventId: randomUUID(),
      type: 'decided',
      ticketId,
      at: '2026-12-07T10:00:00.000Z',
      actorId: randomUUID(),
      detail: { seq: 4, step: 0, name: 'Manager', decision: 'approve', comment: '同意', stepStatus: 'approved' },
      notify: [randomUUID()],
    };
    const state = { status: 'approved', eventSeq: 4 } as TicketWorkflowState;
    await acts.publishTicketEvent({ event, state });

    const [message] = await messagesOf(event.eventId, 1);
    expect(message!.key).toBe(ticketId);
    expect(message!.headers).toMatchObject({
      'event-id': event.eventId,
      'event-type': 'ticket.decided',
      'content-type': 'application/json',
    });
    expect(message!.value).toEqual({
      eventId: event.eventId,
      type: 'ticket.decided',
      ticketId,
      occurredAt: event.at,
      actorId: event.actorId,
      detail: event.detail,
      status: 'approved',
      schemaVersion: 1,
    });
  });

  it('a retried publish delivers an identical copy with the same event id, for consumers to de-duplicate', async () => {
    const event: TicketEvent = {
      eventId: randomUUID(),
      type: 'reminded',
      ticketId: randomUUID(),
      at: '2026-12-07T11:00:00.000Z',
      actorId: null,
      detail: { step: 1 },
      notify: [],
    };
    const state = { status: 'pending_approval' } as TicketWorkflowState;
    await acts.publishTicketEvent({ event, state });
    await acts.publishTicketEvent({ event, state });
    const copies = await messagesOf(event.eventId, 2);
    expect(new Set(copies.map((m) => JSON.stringify(m.value))).size).toBe(1);
    expect(new Set(copies.map((m) => m.headers['event-id']))).toEqual(new Set([event.eventId]));
  });
});
