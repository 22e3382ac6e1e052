import { Answer, KnowledgeCategory, KnowledgeDocument, Question } from '../../models';
import type { SearchEngine } from '../../infra/search';
import {
  concreteIndices,
  documentSearchBody,
  ensureIndex,
  questionSearchBody,
  searchVersion,
} from '../../infra/search-index';
import { bulkWrite } from './bulk';
import type { IndexResult } from './types';

/**
 * The concrete indices a single-document write goes to: all of them, so a rebuild in progress receives the
 * change as well as the index readers use now. On a fresh installation the first write creates the index.
 */
async function writeTargets(search: SearchEngine): Promise<string[]> {
  const existing = await concreteIndices(search);
  if (existing.length > 0) return existing;
  await ensureIndex(search);
  return concreteIndices(search);
}

/**
 * Indexing of single documents and questions. PostgreSQL is the source of truth: each call reads the current
 * row and makes the engine agree with it, so any number of calls, in any order, leaves the right content.
 */
export function createIndexingActivities(deps: { search: SearchEngine }) {
  const { search } = deps;
  return {
    async indexDocument({ documentId }: { documentId: string }): Promise<IndexResult> {
      const doc = await KnowledgeDocument.findByPk(documentId);
      const indices = await writeTargets(search);
      if (doc?.status === 'published') {
        const category = doc.categoryId ? await KnowledgeCategory.findByPk(doc.categoryId) : null;
        const body = documentSearchBody(doc, category);
        const version = searchVersion([doc.updatedAt]);
        await bulkWrite(
          search,
          indices.map((index) => ({ op: 'index', index, id: doc.id, version, doc: body })),
        );
        return { action: 'indexed', indices };
      }
      const version = doc ? searchVersion([doc.updatedAt]) : null;
      await bulkWrite(
        search,
        indices.map((index) => ({ op: 'delete', index, id: documentId, version })),
      );
      return { action: 'removed', indices };
    },

    async indexQuestion({ questionId }: { questionId: string }): Promise<IndexResult> {
      const question = await Question.findByPk(questionId);
      const indices = await writeTargets(search);
      if (!question) {
        await bulkWrite(
          search,
          indices.map((index) => ({ op: 'delete', index, id: questionId, version: null })),
        );
        return { action: 'removed', indices };
      }
      const answers = await Answer.findAll({ where: { questionId }, order: [['createdAt', 'ASC']] });
      const body = questionSearchBody(question, answers);
      const version = Date.parse(body.updatedAt);
      await bulkWrite(
        search,
        indices.map((index) => ({ op: 'index', index, id: question.id, version, doc: body })),
      );
      return { action: 'indexed', indices };
    },
  };
}
