import { continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { KnowledgeActivities } from '../../activities/knowledge/types';
import { contentChanged, type IndexDocumentInput, type IndexQuestionInput } from './definitions';

/**
 * Indexing must outlive a search engine outage: unlimited attempts, backing off to one a minute, each bounded
 * so a hung connection is retried too. PostgreSQL already holds the change; this only makes the engine agree.
 */
const { indexDocument, indexQuestion } = proxyActivities<KnowledgeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Passes per run before continuing as new (a document edited without pause for hours stays small). */
const MAX_PASSES = 100;

/**
 * Indexes until nothing changed since the last pass started. The API signals-with-start, so a change that
 * commits while a pass runs (or waits for the engine) queues exactly one more pass, which reads the latest row.
 */
async function untilClean(pass: () => Promise<unknown>, restart: () => Promise<never>): Promise<number> {
  let dirty = true;
  setHandler(contentChanged, () => {
    dirty = true;
  });
  let passes = 0;
  while (dirty) {
    dirty = false;
    await pass();
    passes += 1;
    if (dirty && passes >= MAX_PASSES) await restart();
  }
  return passes;
}

/** Makes the search engine agree with one document's row (indexed when published, removed otherwise). */
export async function indexDocumentWorkflow(input: IndexDocumentInput): Promise<number> {
  return untilClean(
    () => indexDocument({ documentId: input.documentId }),
    () => continueAsNew<typeof indexDocumentWorkflow>(input),
  );
}

/** Makes the search engine agree with one question and its answers. */
export async function indexQuestionWorkflow(input: IndexQuestionInput): Promise<number> {
  return untilClean(
    () => indexQuestion({ questionId: input.questionId }),
    () => continueAsNew<typeof indexQuestionWorkflow>(input),
  );
}
