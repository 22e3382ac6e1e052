/**
 * The search index is not the source of truth: with the search engine really stopped (the stack script's
 * own `down opensearch`), publishing still succeeds, the indexing workflow keeps retrying, and once the
 * engine is started again the document becomes searchable without anyone doing anything.
 *
 * Slow (an engine restart takes 15-30 s) and it stops a shared server: it always starts it again, even
 * when an assertion fails.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createKnowledgeApp } from '../../api/knowledge-app';
import { createKnowledgeActivities } from '../../activities/knowledge';
import { agent, bearer, buildUser, createHarness, type Harness, waitFor } from '../../test/harness';
import { indexDocumentWorkflowId } from './definitions';

const STACK = path.resolve(__dirname, '../../scripts/stack.sh');
const stack = (...args: string[]) =>
  execFileSync('bash', [STACK, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const suffix = randomUUID().slice(0, 8);

describe('indexing catches up after the search engine was stopped and started again', () => {
  let h: Harness;
  let api: ReturnType<typeof agent>;
  let stopWorker: () => Promise<void>;
  let engineStopped = false;

  beforeAll(async () => {
    if (!/^opensearch\s+running/m.test(stack('status'))) {
      throw new Error(
        'This test stops and starts OpenSearch with scripts/stack.sh, so that script must have started it (npm test does).',
      );
    }
    h = await createHarness({
      TEMPORAL_TASK_QUEUE: `tk-restart-${suffix}`,
      SEARCH_INDEX_PREFIX: `tk-restart-${suffix}`,
    });
    await h.reset();
    api = agent(createKnowledgeApp(h.infra));
    const connection = await NativeConnection.connect({ address: h.infra.config.TEMPORAL_ADDRESS });
    const worker = await Worker.create({
      connection,
      namespace: h.infra.config.TEMPORAL_NAMESPACE,
      taskQueue: h.infra.config.TEMPORAL_TASK_QUEUE,
      workflowsPath: require.resolve('./index'),
      activities: createKnowledgeActivities(h.infra),
    });
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
      await connection.close();
    };
  }, 60_000);

  afterAll(async () => {
    if (engineStopped) stack('up', 'opensearch');
    await stopWorker?.();
    api?.server.close();
    await h?.close();
  }, 120_000);

  it('publishes while the engine is down and finds the document once it is back', async () => {
    const editor = bearer(h.infra, (await buildUser({ roles: ['requester', 'knowledge_editor'] })).id);
    const reader = bearer(h.infra, (await buildUser()).id);
    const create = async (title: string) =>
      (
        await api.http
          .post('/api/v1/documents')
          .set(editor)
          .send({ type: 'article', title, body: `${title} 的處理步驟` })
          .expect(201)
      ).body.id as string;
    // While the engine is down or starting, a failed request counts as "not yet".
    const found = (q: string, id: string) => async () => {
      const res = await api.http
        .get('/api/v1/search')
        .query({ q })
        .set(reader)
        .catch(() => undefined);
      return res?.status === 200 && (res.body.data as { id: string }[]).some((d) => d.id === id) ? true : undefined;
    };

    // Before: indexing works, so the index and its alias exist.
    const before = await create('藍牙耳機無法配對');
    await api.http
      .post(`/api/v1/documents/${before}/publish`)
      .set(editor)
      .send({})
      .expect((r) => expect(r.status).toBeLessThan(300));
    await waitFor('the first document to be searchable', found('藍牙耳機', before), 30_000);

    stack('down', 'opensearch');
    engineStopped = true;
    const during = await create('會議室投影機沒有訊號');
    const published = await api.http.post(`/api/v1/documents/${during}/publish`).set(editor).send({});
    expect(published.status).toBeLessThan(300);
    expect((await api.http.get(`/api/v1/documents/${during}`).set(reader)).body.status).toBe('published');
    // The indexing workflow is retrying, not failed.
    await new Promise((r) => setTimeout(r, 3000));
    const description = await h.infra.temporal.client.workflow.getHandle(indexDocumentWorkflowId(during)).describe();
    expect(description.status.name).toBe('RUNNING');
    const search = await api.http.get('/api/v1/search').query({ q: '投影機' }).set(reader);
    expect(search.status).toBeGreaterThanOrEqual(400);
    expect(search.status).not.toBe(500);

    stack('up', 'opensearch');
    engineStopped = false;
    await waitFor('the document published during the outage to be searchable', found('投影機', during), 120_000);
  }, 240_000);
});
