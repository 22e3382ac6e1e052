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
