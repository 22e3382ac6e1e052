import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { KnowledgeActivities, ReindexBatchInput } from '../../activities/knowledge/types';
import { createTimeSkippingEnv } from '../../test/temporal-env';
import { contentChanged, reindexProgress, type ReindexProgress } from './definitions';
import { indexDocumentWorkflow, reindexWorkflow } from './index';

/** Fake activities over an in-memory "database" of `rows` ids and an in-memory "engine". */
function fakes(rows: number) {
  const calls: string[] = [];
  const written: string[] = [];
  let engineDown = 0;
  const ids = Array.from({ length: rows }, (_, i) => `d${String(i).padStart(4, '0')}`);
  const activities: KnowledgeActivities = {
    async indexDocument({ documentId }) {
      calls.push(`index ${documentId}`);
      if (engineDown > 0) {
        engineDown -= 1;
        throw new Error('connect ECONNREFUSED 127.0.0.1:9200');
      }
      return { action: 'indexed', indices: ['k-1'] };
    },
    async indexQuestion() {
      return { action: 'indexed', indices: ['k-1'] };
    },
    async createIndex({ stamp }) {
      calls.push('create');
      return { index: `k-${stamp}`, alias: 'k' };
    },
    async countReindexSource() {
      return { documents: rows, questions: 0 };
    },
    async reindexBatch({ cursor, batchSize }: ReindexBatchInput) {
      const start = cursor?.afterId ? ids.indexOf(cursor.afterId) + 1 : 0;
      const batch = ids.slice(start, start + batchSize);
      written.push(...batch);
      const last = batch[batch.length - 1];
      return {
        indexed: batch.length,
        next: batch.length === batchSize && last ? { kind: 'document', afterId: last } : null,
      };
    },
    async swapAlias({ targetIndex }) {
      calls.push(`swap ${targetIndex}`);
      return { alias: 'k', previous: ['k-old'] };
    },
    async deleteIndices({ indices }) {
      calls.push(`delete ${indices.join(',')}`);
      return { deleted: indices };
    },
  };
  return { activities, calls, written, failNext: (n: number) => (engineDown = n) };
}

describe('knowledge search workflows on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  async function worker(activities: KnowledgeActivities, taskQueue: string) {
    return Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('./index'),
      activities,
    });
  }

  it('reindex: builds in batches across continue-as-new, then swaps the alias and deletes the old index', async () => {
    const f = fakes(23);
    const w = await worker(f.activities, 'reindex-test');
    const progress = await w.runUntil(async () => {
      const handle = await env.client.workflow.start(reindexWorkflow, {
        workflowId: 'reindex-test-1',
        taskQueue: 'reindex-test',
        args: [{ batchSize: 5, maxBatchesPerRun: 2 }],
      });
      const result = await handle.result();
      const queried: ReindexProgress = await handle.query(reindexProgress);
      expect(queried.phase).toBe('done');
      return result;
    });
    expect(f.written).toHaveLength(23);
    expect(new Set(f.written).size).toBe(23);
    expect(progress).toMatchObject({ phase: 'done', total: 23, indexed: 23, batches: 5, removedIndices: ['k-old'] });
    expect(f.calls.filter((c) => c === 'create')).toHaveLength(1);
    expect(f.calls.slice(-2)).toEqual([`swap ${progress.targetIndex}`, 'delete k-old']);
  });

  it('indexing retries while the engine is down, and edits during that time queue one more pass', async () => {
    const f = fakes(0);
    f.failNext(4);
    const w = await worker(f.activities, 'index-test');
    const passes = await w.runUntil(async () => {
      const start = () =>
        env.client.workflow.signalWithStart(indexDocumentWorkflow, {
          workflowId: 'index-doc-x',
          taskQueue: 'index-test',
          args: [{ documentId: 'x' }],
          signal: contentChanged,
          signalArgs: [],
        });
      const handle = await start();
      await start();
      await start();
      return env.client.workflow.getHandle(handle.workflowId).result();
    });
    expect(f.calls.length).toBeGreaterThanOrEqual(5);
    expect(passes).toBeLessThanOrEqual(2);
  });
});
