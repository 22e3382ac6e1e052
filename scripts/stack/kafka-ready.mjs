// Readiness probe for the Kafka broker started by scripts/stack.sh (run from the repo root so that
// `kafkajs` resolves from node_modules). Right after start the broker answers "coordinator is
// loading", so "port open" is not enough: exit 0 only once a consumer group has really joined.
// Usage: node scripts/stack/kafka-ready.mjs [host:port] [timeoutSeconds]
import { Kafka, logLevel } from 'kafkajs';

const broker = process.argv[2] ?? `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`;
const deadline = Date.now() + Number(process.argv[3] ?? 60) * 1000;
const topic = 'stack-ready';
const noRetry = { retries: 0, restartOnFailure: async () => false };
const kafka = new Kafka({
  clientId: 'stack-ready',
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 2000,
  requestTimeout: 5000,
  retry: { retries: 0 },
});

async function attempt() {
  const admin = kafka.admin();
  await admin.connect();
  try {
    // false when it already exists: fine
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({
    groupId: 'stack-ready',
    sessionTimeout: 10000,
    maxWaitTimeInMs: 100,
    retry: noRetry,
  });
  const joined = new Promise((resolve, reject) => {
    consumer.on(consumer.events.GROUP_JOIN, resolve);
    consumer.on(consumer.events.CRASH, (e) => reject(e.payload?.error ?? new Error('consumer crashed')));
    setTimeout(() => reject(new Error('no group join within 10s')), 10000).unref();
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({ eachMessage: async () => {} });
    await joined;
  } finally {
    await consumer.disconnect().catch(() => {});
  }
}

let last;
while (Date.now() < deadline) {
  try {
    await attempt();
    process.exit(0);
  } catch (e) {
    last = e;
    await new Promise((r) => setTimeout(r, 500));
  }
}
console.error(`kafka not ready at ${broker}: ${last?.message ?? last}`);
process.exit(1);
