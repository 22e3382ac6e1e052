// The knowledge search workflows; `workflows/index.ts` re-exports them for the worker's bundle.
export { indexDocumentWorkflow, indexQuestionWorkflow } from './indexing';
export { reindexWorkflow } from './reindex';
export { documentLifecycleWorkflow } from './lifecycle';
