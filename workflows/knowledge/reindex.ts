import { type RetryPolicy, continueAsNew, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { KnowledgeActivities } from '../../activities/knowledge/types';
import { reindexProgress, type ReindexInput, type ReindexProgress } from './definitions';

const retry: RetryPolicy = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' };
const admin = proxyActivities<KnowledgeActivities>({ startToCloseTimeout: '1 minute', retry });
const batches = proxyActivities<KnowledgeActivities>({ startToCloseTimeout: '5 minutes', retry });

/**
 * Rebuilds the knowledge index from PostgreSQL: a new concrete index `<alias>-<stamp>`, filled in batches
 * (bulk requests) while readers keep using the old one through the alias, then one atomic alias swap and the
 * old index deleted. Progress is the `reindexProgress` query and a log line per batch. Long runs continue as
 * new with their progress, so the history stays small whatever the size of the knowledge base.
 */
export async function reindexWorkflow(input: ReindexInput = {}): Promise<ReindexProgress> {
  const batchSize = input.batchSize ?? 200;
  const maxBatchesPerRun = input.maxBatchesPerRun ?? 500;
  const progress: ReindexProgress = input.resume ?? {
    phase: 'creating',
    targetIndex: null,
    total: 0,
    indexed: 0,
    batches: 0,
    cursor: null,
    startedAt: new Date(Date.now()).toISOString(),
    finishedAt: null,
    removedIndices: [],
  };
  setHandler(reindexProgress, () => progress);

  if (progress.phase === 'creating') {
    const { index } = await admin.createIndex({ stamp: Date.now() });
    const counts = await admin.countReindexSource();
    Object.assign(progress, { targetIndex: index, total: counts.documents + counts.questions, phase: 'indexing' });
    log.info('reindex: building', { targetIndex: index, total: progress.total });
  }
  const targetIndex = progress.targetIndex!;

  let batchesThisRun = 0;
  while (progress.phase === 'indexing') {
    const result = await batches.reindexBatch({ targetIndex, cursor: progress.cursor, batchSize });
    progress.indexed += result.indexed;
    progress.batches += 1;
    progress.cursor = result.next;
    log.info('reindex: progress', { targetIndex, indexed: progress.indexed, total: progress.total });
    if (!result.next) {
      progress.phase = 'swapping';
      break;
    }
    batchesThisRun += 1;
    if (batchesThisRun >= maxBatchesPerRun || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof reindexWorkflow>({ ...input, resume: progress });
    }
  }

  if (progress.phase === 'swapping') {
    const { previous } = await admin.swapAlias({ targetIndex });
    progress.removedIndices = previous;
    progress.phase = 'cleaning';
  }
  const { deleted } = await admin.deleteIndices({ indices: progress.removedIndices });
  Object.assign(progress, { removedIndices: deleted, phase: 'done', finishedAt: new Date(Date.now()).toISOString() });
  log.info('reindex: done', { targetIndex, indexed: progress.indexed, removed: deleted });
  return progress;
}
