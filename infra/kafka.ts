import { Kafka, logLevel, type Producer, type Admin, type Consumer, type ConsumerConfig } from 'kafkajs';
import type { Config } from './config';
import type { Logger } from './logger';
import type { ReadinessCheck } from './readiness';

/** Topics the application publishes to; created at start-up when missing. */
export const TOPICS = {
  ticketEvents: 'ticket-events',
  knowledgeEvents: 'knowledge-events',
} as const;

/** A message the application publishes: one domain event. */
export interface EventMessage {
  /** Partition key: the entity's id, so one entity's events stay in order. */
  key: string;
  /** Unique id consumers de-duplicate on; also sent as the `event-id` header. */
  eventId: string;
  /** Event type, also sent as the `event-type` header. */
  type: string;
  value: unknown;
}

/** kafkajs with an idempotent producer (no duplicates from the producer's own retries). */
export class EventBus implements ReadinessCheck {
  readonly name = 'kafka';
  readonly kafka: Kafka;
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;

  constructor(
    private readonly config: Pick<
      Config,
      'KAFKA_BROKERS' | 'KAFKA_CLIENT_ID' | 'KAFKA_TOPIC_PARTITIONS' | 'KAFKA_REPLICATION_FACTOR'
    >,
    private readonly logger?: Logger,
  ) {
    this.kafka = new Kafka({
      clientId: config.KAFKA_CLIENT_ID,
      brokers: config.KAFKA_BROKERS,
      connectionTimeout: 3000,
      retry: { retries: 5, initialRetryTime: 200 },
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ level, log }) => {
          const { message, ...extra } = log;
          if (level <= logLevel.ERROR) this.logger?.error(extra, `kafka: ${message}`);
          else this.logger?.warn(extra, `kafka: ${message}`);
        },
    });
  }

  /** Creates the application's topics when they are missing. */
  async ensureTopics(topics: string[] = Object.values(TOPICS)): Promise<void> {
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t));
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({
            topic,
            numPartitions: this.config.KAFKA_TOPIC_PARTITIONS,
            replicationFactor: this.config.KAFKA_REPLICATION_FACTOR,
          })),
        });
      }
    } finally {
      await admin.disconnect();
    }
  }

  private async getProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      this.producer = producer;
      return producer;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Publishes events to one topic and resolves once every in-sync replica has them. */
  async publish(topic: string, messages: EventMessage[]): Promise<void> {
    const producer = await this.getProducer();
    await producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({
        key: m.key,
        value: JSON.stringify(m.value),
        headers: { 'event-id': m.eventId, 'event-type': m.type, 'content-type': 'application/json' },
      })),
    });
  }

  consumer(config: ConsumerConfig): Consumer {
    return this.kafka.consumer(config);
  }

  async ready(): Promise<void> {
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    await admin.connect();
    try {
      await admin.describeCluster();
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
    this.producer = undefined;
  }
}
