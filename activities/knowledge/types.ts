/**
 * The contract of the knowledge search activities, shared with the workflows that call them (as types only,
 * so the workflow bundle never pulls in database or search clients).
 */

/** Where a reindex has got to: the next row of which kind comes after `afterId` (ids in ascending order). */
export interface ReindexCursor {
  kind: 'document' | 'question';
  afterId: string | null;
}

export interface IndexResult {
  /** `indexed`: the engine now holds the current content; `removed`: it holds nothing for this id. */
  action: 'indexed' | 'removed';
  /** The concrete indices written (more than one while a reindex is building a new index). */
  indices: string[];
}

export interface ReindexBatchInput {
  /** The concrete index being built. */
  targetIndex: string;
  /** null: start with the first document. */
  cursor: ReindexCursor | null;
  batchSize: number;
}

export interface ReindexBatchResult {
  /** Rows written to the target index in this batch. */
  indexed: number;
  /** Where the next batch starts; null when everything has been written. */
  next: ReindexCursor | null;
}

export interface KnowledgeActivities {
  /** Loads a document from PostgreSQL: published -> indexed with `_id` = its id; anything else -> removed. */
  indexDocument(input: { documentId: string }): Promise<IndexResult>;
  /** Loads a question and its answers (folded into one search document); a missing question is removed. */
  indexQuestion(input: { questionId: string }): Promise<IndexResult>;
  /** Creates the concrete index `<alias>-<stamp>` for a rebuild (refresh off while it fills). Idempotent. */
  createIndex(input: { stamp: number }): Promise<{ index: string; alias: string }>;
  /** How many rows a full rebuild writes (published documents, questions), for progress. */
  countReindexSource(): Promise<{ documents: number; questions: number }>;
  /** Writes the next batch of rows to the target index with bulk requests. */
  reindexBatch(input: ReindexBatchInput): Promise<ReindexBatchResult>;
  /**
   * Makes the target index searchable and moves the alias to it in one atomic request. Answers the other
   * concrete knowledge indices, which the caller deletes next.
   */
  swapAlias(input: { targetIndex: string }): Promise<{ alias: string; previous: string[] }>;
  /** Deletes concrete knowledge indices the alias does not point at (missing ones are fine). */
  deleteIndices(input: { indices: string[] }): Promise<{ deleted: string[] }>;
}

/** A publication as the lifecycle workflow asks for it; every instant is decided by the workflow. */
export interface PublishDocumentInput {
  documentId: string;
  /** Who publishes: the editor who published, or who approved the review. */
  actorId: string;
  /** ISO instant the document is due for review. */
  reviewAt: string;
  /** ISO instant of the publication (workflow time, so a retried activity writes the same row). */
  publishedAt: string;
  /** Present when the publication settles a review: recorded as its decision. */
  approval?: { comment: string | null } | null;
}

/** A status change other than publishing: submitted for review, or sent back to draft by a reviewer. */
export interface SetDocumentStatusInput {
  documentId: string;
  status: 'in_review' | 'draft';
  actorId: string;
  /** ISO instant of the change (workflow time). */
  at: string;
  /** The reviewer's comment when a review sends the document back to draft. */
  comment?: string | null;
}

export interface DocumentStatusResult {
  status: 'draft' | 'in_review' | 'published' | 'archived';
  reviewAt: string | null;
}

export interface DocumentLifecycleActivities {
  /**
   * Publishes in one transaction: `published`, the review date renewed, an earlier reminder cleared, the
   * review decision recorded when there is one. Idempotent (a retry writes the same values). Refusals are
   * non-retryable failures typed `not_found` or `not_publishable`.
   */
  publishDocument(input: PublishDocumentInput): Promise<DocumentStatusResult>;
  /** `in_review` (from draft or archived) or back to `draft` (from in_review); already there is a no-op. */
  setDocumentStatus(input: SetDocumentStatusInput): Promise<DocumentStatusResult>;
  /**
   * Records that the review date came, for the owner (the author): `reviewRemindedAt` on the row and a log
   * line. Only when the document is still published with that review date; otherwise nothing (stale timer).
   */
  recordReviewReminder(input: {
    documentId: string;
    reviewAt: string;
  }): Promise<{ recorded: boolean; ownerId: string | null }>;
  /**
   * Asks the document's indexing workflow (`index-doc-<id>`) for a pass: signal-with-start on the worker's task
   * queue, the same path the API takes after an edit, so bursts coalesce and engine outages are retried there.
   */
  requestIndexing(input: { documentId: string }): Promise<void>;
}
