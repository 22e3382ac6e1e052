/**
 * The contract of the knowledge search workflows, shared by the workflows and the API: ids, inputs, the
 * signal that coalesces edits and the reindex progress query. Defined once here (STYLE.md).
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ReindexCursor } from '../../activities/knowledge/types';

export const INDEX_DOCUMENT_WORKFLOW_TYPE = 'indexDocumentWorkflow';
export const INDEX_QUESTION_WORKFLOW_TYPE = 'indexQuestionWorkflow';
export const REINDEX_WORKFLOW_TYPE = 'reindexWorkflow';

/** One indexing workflow per document or question at a time: a burst of edits becomes one or two runs. */
export const indexDocumentWorkflowId = (documentId: string) => `index-doc-${documentId}`;
export const indexQuestionWorkflowId = (questionId: string) => `index-question-${questionId}`;
/**
 * One rebuild per index alias at a time: asking again while one runs joins it. The alias (which carries
 * `SEARCH_INDEX_PREFIX`) is part of the id, so installations sharing a Temporal namespace do not collide.
 */
export const reindexWorkflowId = (alias: string) => `reindex-${alias}`;

/** "The content changed again": the running indexing workflow indexes once more after its current pass. */
export const contentChanged = defineSignal('contentChanged');

export interface IndexDocumentInput {
  documentId: string;
}
export interface IndexQuestionInput {
  questionId: string;
}

export type ReindexPhase = 'creating' | 'indexing' | 'swapping' | 'cleaning' | 'done';

export interface ReindexProgress {
  phase: ReindexPhase;
  /** The concrete index being built (null until created). */
  targetIndex: string | null;
  /** Rows to write, counted when the rebuild started (rows added since are written too). */
  total: number;
  indexed: number;
  batches: number;
  cursor: ReindexCursor | null;
  startedAt: string;
  finishedAt: string | null;
  /** Indices deleted once the alias moved. */
  removedIndices: string[];
}

export interface ReindexInput {
  /** Rows per bulk request (default 200). */
  batchSize?: number;
  /** Continue-as-new after this many batches (default 500), or earlier when the server suggests it. */
  maxBatchesPerRun?: number;
  /** Carried across continue-as-new. */
  resume?: ReindexProgress;
}

export const reindexProgress = defineQuery<ReindexProgress>('reindexProgress');
