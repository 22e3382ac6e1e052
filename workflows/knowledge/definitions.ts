/**
 * The contract of the knowledge workflows, shared by the workflows and the API: ids, inputs, the signal that
 * coalesces edits, the reindex progress query, and the document lifecycle's updates, signal and query.
 * Defined once here (STYLE.md).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ReindexCursor } from '../../activities/knowledge/types';
import type { DocumentStatus, ReviewDecision } from '../../domain/knowledge';
import type { Role } from '../../domain/roles';

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

export const DOCUMENT_LIFECYCLE_WORKFLOW_TYPE = 'documentLifecycleWorkflow';
/** One lifecycle workflow per document, for as long as it is not archived. */
export const documentLifecycleWorkflowId = (documentId: string) => `document-${documentId}`;

/** The caller, as the API authenticated them; validators decide on these roles. */
export interface LifecycleActor {
  id: string;
  roles: readonly Role[];
}

export interface DocumentLifecycleState {
  documentId: string;
  status: DocumentStatus;
  /** ISO instant of the current review date (published documents). */
  reviewAt: string | null;
  /** The review date the submitter asked for; used at approval while it is still ahead. */
  requestedReviewAt: string | null;
  /** The review date the owner was last reminded of (one reminder per review date). */
  remindedFor: string | null;
  reminders: number;
  lastReview: { decision: ReviewDecision; actorId: string; comment: string | null; at: string } | null;
  /** Search indexing still to do after a publication (carried across continue-as-new). */
  indexPending: boolean;
}

export interface DocumentLifecycleInput {
  documentId: string;
  /** The document's status and review date in PostgreSQL when the API started the workflow. */
  status: DocumentStatus;
  reviewAt: string | null;
  /** Carried over by continue-as-new; absent on a first start. */
  state?: DocumentLifecycleState;
  /** Continue-as-new threshold (tests lower it). */
  maxHistoryEvents?: number;
}

export type { ReviewDecision };

export interface PublishArgs {
  actor: LifecycleActor;
  /** ISO instant the document is due for review (the API applies the default and the limits). */
  reviewAt: string;
}
export interface SubmitArgs {
  actor: LifecycleActor;
  /** A review date the author asks for, applied on approval if still ahead. */
  reviewAt: string | null;
}
export interface ReviewArgs {
  actor: LifecycleActor;
  decision: ReviewDecision;
  comment: string | null;
  /** The review date on approval when the submitter asked for none (or theirs has passed). */
  reviewAt: string;
}

/** An editor publishes now; answers once the row is `published` (indexing follows). */
export const publishUpdate = defineUpdate<DocumentLifecycleState, [PublishArgs]>('publish');
/** The author (not an editor) asks for publication: `in_review`. */
export const submitForReviewUpdate = defineUpdate<DocumentLifecycleState, [SubmitArgs]>('submitForReview');
/** An editor decides on a document in review: approve publishes (and indexes), reject sends it back to draft. */
export const reviewUpdate = defineUpdate<DocumentLifecycleState, [ReviewArgs]>('review');
/** The document was archived (the API wrote it): the workflow ends. */
export const documentArchived = defineSignal('documentArchived');
export const lifecycleStateQuery = defineQuery<DocumentLifecycleState>('lifecycleState');

/** HTTP status for each refusal type the lifecycle updates fail with; anything else is a 503. */
export const LIFECYCLE_REFUSAL_STATUS: Readonly<Record<string, number>> = {
  invalid_review_date: 400,
  forbidden: 403,
  not_found: 404,
  invalid_transition: 409,
  not_publishable: 409,
};
