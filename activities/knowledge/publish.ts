import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { publishable, transition, type DocumentAction } from '../../domain/knowledge';
import type { Logger } from '../../infra/logger';
import { KnowledgeDocument } from '../../models';
import {
  INDEX_DOCUMENT_WORKFLOW_TYPE,
  contentChanged,
  indexDocumentWorkflowId,
} from '../../workflows/knowledge/definitions';
import type { DocumentLifecycleActivities, DocumentStatusResult } from './types';

/** A refusal the workflow passes on to the caller as it is (typed, never retried). */
const refusal = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

const result = (doc: KnowledgeDocument): DocumentStatusResult => ({
  status: doc.status,
  reviewAt: doc.reviewAt ? doc.reviewAt.toISOString() : null,
});

/**
 * The database side of the document lifecycle workflow. Each activity locks the row, re-checks the
 * transition against what it finds (the API checked before starting, but the row may have moved since) and
 * writes in one transaction. Nothing here talks to the search engine: `requestIndexing` hands a publication to
 * the indexing workflow afterwards.
 */
export function createPublishActivities(deps: { logger: Logger }): DocumentLifecycleActivities {
  const { logger } = deps;
  const sequelize = () => KnowledgeDocument.sequelize!;

  /** The status rules with the actor as the workflow vouches for them (the API authorised the caller). */
  const check = (doc: KnowledgeDocument, action: DocumentAction) => {
    const outcome = transition(doc, action, { id: doc.authorId, roles: ['admin'] });
    if (!outcome.ok) throw refusal(outcome.code, outcome.message);
  };

  return {
    async publishDocument(input) {
      return sequelize().transaction(async (transaction) => {
        const doc = await KnowledgeDocument.findByPk(input.documentId, { transaction, lock: transaction.LOCK.UPDATE });
        if (!doc) throw refusal('not_found', 'Document not found.');
        check(doc, 'publish');
        const ok = publishable(doc.type, doc);
        if (!ok.ok) throw refusal(ok.code, ok.message);
        const publishedAt = new Date(input.publishedAt);
        await doc.update(
          {
            status: 'published',
            publishedAt,
            publishedBy: input.actorId,
            reviewAt: new Date(input.reviewAt),
            reviewRemindedAt: null,
            archivedAt: null,
            ...(input.approval
              ? { reviewedAt: publishedAt, reviewedBy: input.actorId, reviewComment: input.approval.comment }
              : {}),
          },
          { transaction },
        );
        return result(doc);
      });
    },

    async setDocumentStatus(input) {
      return sequelize().transaction(async (transaction) => {
        const doc = await KnowledgeDocument.findByPk(input.documentId, { transaction, lock: transaction.LOCK.UPDATE });
        if (!doc) throw refusal('not_found', 'Document not found.');
        // Already there: a retry after the commit, or a second submission.
        if (doc.status === input.status) return result(doc);
        const at = new Date(input.at);
        if (input.status === 'in_review') {
          check(doc, 'submit');
          await doc.update({ status: 'in_review', submittedAt: at, submittedBy: input.actorId }, { transaction });
          // Editors find the queue with GET /documents?status=in_review; the log line is for operators.
          logger.info({ documentId: doc.id, authorId: doc.authorId }, 'document submitted for review');
        } else {
          check(doc, 'reject');
          await doc.update(
            { status: 'draft', reviewedAt: at, reviewedBy: input.actorId, reviewComment: input.comment ?? null },
            { transaction },
          );
        }
        return result(doc);
      });
    },

    async recordReviewReminder({ documentId, reviewAt }) {
      const [count, rows] = await KnowledgeDocument.update(
        { reviewRemindedAt: new Date() },
        {
          where: { id: documentId, status: 'published', reviewAt: new Date(reviewAt), reviewRemindedAt: null },
          returning: true,
        },
      );
      const doc = rows[0];
      if (count === 0 || !doc) return { recorded: false, ownerId: null };
      logger.info({ documentId, ownerId: doc.authorId, reviewAt }, 'document due for review: owner reminded');
      return { recorded: true, ownerId: doc.authorId };
    },

    async requestIndexing({ documentId }) {
      const { client, info } = Context.current();
      await client.workflow.signalWithStart(INDEX_DOCUMENT_WORKFLOW_TYPE, {
        workflowId: indexDocumentWorkflowId(documentId),
        taskQueue: info.taskQueue,
        args: [{ documentId }],
        signal: contentChanged,
        signalArgs: [],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
    },
  };
}
