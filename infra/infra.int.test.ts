import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { diagnosticWorkflow } from '../workflows/diagnostics';
import { createHarness, type Harness } from '../test/harness';
import { User } from '../models';

/** Each infrastructure client against its real server. */
describe('infrastructure clients against the real stack', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness();
    await h.reset();
  });

  afterAll(async () => {
    await h.close();
  });

  it('db: writes a row and reads it back', async () => {
    await h.infra.db.ready();
    const created = await User.create({
      username: `db-${randomUUID().slice(0, 8)}`,
      passwordHash: null,
      displayName: '資料庫 user',
      email: null,
      roles: ['requester', 'agent'],
      departmentId: null,
      managerId: null,
      externalId: null,
    });
    const read = await User.findByPk(created.id);
    expect(read?.displayName).toBe('資料庫 user');
    expect(read?.roles).toEqual(['requester', 'agent']);
  });

  it('cache: sets a key with an expiry and reads it', async () => {
    const key = `test:${randomUUID()}`;
    await h.infra.cache.ready();
    await h.infra.cache.redis.set(key, '值', 'EX', 30);
    expect(await h.infra.cache.redis.get(key)).toBe('值');
    expect(await h.infra.cache.redis.ttl(key)).toBeGreaterThan(0);
  });

  it('kafka: produces a keyed event and a consumer group receives it with its headers', async () => {
    const topic = `test-${randomUUID().slice(0, 8)}`;
    await h.infra.kafka.ensureTopics([topic]);
    const consumer = h.infra.kafka.consumer({ groupId: `test-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = new Promise<{ key: string; value: unknown; eventId: string }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) =>
          resolve({
            key: message.key!.toString(),
            value: JSON.parse(message.value!.toString()),
            eventId: message.headers!['event-id']!.toString(),
          }),
      });
    });
    const eventId = randomUUID();
    await h.infra.kafka.publish(topic, [{ key: 'ticket-1', eventId, type: 'test.happened', value: { hello: '世界' } }]);
    await expect(received).resolves.toEqual({ key: 'ticket-1', value: { hello: '世界' }, eventId });
    await consumer.disconnect();
  });

  it('search: indexes documents and finds an English and a Chinese one', async () => {
    const { client } = h.infra.search;
    const index = h.infra.search.index(`probe-${randomUUID().slice(0, 8)}`);
    await client.indices.create({
      index,
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: {
        properties: { title: { type: 'text', analyzer: 'cjk' }, body: { type: 'text', analyzer: 'english' } },
      },
    });
    try {
      await client.bulk({
        refresh: 'wait_for',
        operations: [
          { index: { _index: index, _id: 'zh' } },
          { title: '印表機無法連線怎麼辦', body: 'network settings' },
          { index: { _index: index, _id: 'en' } },
          { title: 'VPN', body: 'The printers on floor 3 are offline' },
        ],
      });
      const zh = await client.search({
        index,
        query: { match: { title: '印表機' } },
        highlight: { fields: { title: {} } },
      });
      expect(zh.hits.hits.map((hit) => hit._id)).toEqual(['zh']);
      expect(zh.hits.hits[0]?.highlight?.title?.[0]).toContain('<em>');
      const en = await client.search({ index, query: { match: { body: 'printer' } } });
      expect(en.hits.hits.map((hit) => hit._id)).toEqual(['en']);
    } finally {
      await client.indices.delete({ index });
    }
  });

  it('storage: puts an object, fetches it, and fetches it again through a signed URL', async () => {
    await h.infra.storage.ensureBucket();
    const key = `probe/${randomUUID()}.txt`;
    const body = Buffer.from('附件 attachment bytes');
    await h.infra.storage.put(key, body, body.length, 'text/plain; charset=utf-8');
    const chunks: Buffer[] = [];
    for await (const chunk of await h.infra.storage.get(key)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(body)).toBe(true);
    const url = await h.infra.storage.signedUrl(key, 60, '附件.txt');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
    await h.infra.storage.remove(key);
  });

  it('temporal: a workflow started on the dev server completes through a real worker', async () => {
    const taskQueue = `tk-test-${randomUUID().slice(0, 8)}`;
    const { NativeConnection } = await import('@temporalio/worker');
    const connection = await NativeConnection.connect({ address: h.infra.config.TEMPORAL_ADDRESS });
    try {
      const worker = await Worker.create({
        connection,
        namespace: h.infra.config.TEMPORAL_NAMESPACE,
        taskQueue,
        workflowsPath: require.resolve('../workflows'),
        activities: createActivities({ ...h.infra, workerName: 'jest' }),
      });
      const result = await worker.runUntil(
        h.infra.temporal.client.workflow.execute(diagnosticWorkflow, {
          workflowId: `diagnostic-${randomUUID()}`,
          taskQueue,
          args: [{ message: 'ping', delay: '1 second' }],
        }),
      );
      expect(result).toBe('ping (handled by jest, attempt 1)');
    } finally {
      await connection.close();
    }
  });

  it('every client reports ready', async () => {
    for (const check of [h.infra.db, h.infra.cache, h.infra.kafka, h.infra.search, h.infra.storage, h.infra.temporal]) {
      await expect(check.ready()).resolves.toBeUndefined();
    }
  });
});
