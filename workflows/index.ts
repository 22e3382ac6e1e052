// The worker bundles this file: every workflow the task queue runs is exported here.
export { diagnosticWorkflow } from './diagnostics';
export { ticketWorkflow } from './ticket/workflow';
export { documentLifecycleWorkflow, indexDocumentWorkflow, indexQuestionWorkflow, reindexWorkflow } from './knowledge';
