import { Op } from 'sequelize';
import type { SearchEngine } from '../../infra/search';
import type { Logger } from '../../infra/logger';
import {
  aliasTargets,
  concreteIndexName,
  concreteIndices,
  createConcreteIndex,
  documentSearchBody,
  isNotFound,
  knowledgeAlias,
  questionSearchBody,
  searchVersion,
} from '../../infra/search-index';
import { Answer, KnowledgeCategory, KnowledgeDocument, Question } from '../../models';
import { bulkWrite, type SearchWrite } from './bulk';
import type { ReindexBatchInput, ReindexBatchResult } from './types';

/** Steps of a full rebuild: create an index, fill it from PostgreSQL in batches, swap the alias, clean up. */
export function createReindexActivities(deps: { search: SearchEngine; logger: Logger }) {
  const { search, logger } = deps;
  const alias = knowledgeAlias(search);
  const ownIndex = (name: string) => name.startsWith(`${alias}-`);

  return {
    async createIndex({ stamp }: { stamp: number }): Promise<{ index: string; alias: string }> {
      const index = concreteIndexName(alias, stamp);
      await createConcreteIndex(search, index, { building: true });
      logger.info({ index, alias }, 'reindex: created index');
      return { index, alias };
    },

    async countReindexSource(): Promise<{ documents: number; questions: number }> {
      const [documents, questions] = await Promise.all([
        KnowledgeDocument.count({ where: { status: 'published' } }),
        Question.count(),
      ]);
      return { documents, questions };
    },

    async reindexBatch({ targetIndex, cursor, batchSize }: ReindexBatchInput): Promise<ReindexBatchResult> {
      if (!ownIndex(targetIndex)) throw new Error(`not a knowledge index: ${targetIndex}`);
      const kind = cursor?.kind ?? 'document';
      const after = cursor?.afterId ? { id: { [Op.gt]: cursor.afterId } } : {};
      let writes: SearchWrite[];
      let lastId: string | undefined;
      if (kind === 'document') {
        const docs = await KnowledgeDocument.findAll({
          where: { status: 'published', ...after },
          order: [['id', 'ASC']],
          limit: batchSize,
        });
        const categoryIds = [...new Set(docs.flatMap((d) => (d.categoryId ? [d.categoryId] : [])))];
        const categories = new Map(
          (categoryIds.length > 0 ? await KnowledgeCategory.findAll({ where: { id: categoryIds } }) : []).map((c) => [
            c.id,
            c,
          ]),
        );
        writes = docs.map((d) => ({
          op: 'index',
          index: targetIndex,
          id: d.id,
          version: searchVersion([d.updatedAt]),
          doc: documentSearchBody(d, d.categoryId ? (categories.get(d.categoryId) ?? null) : null),
        }));
        lastId = docs[docs.length - 1]?.id;
      } else {
        const questions = await Question.findAll({ where: after, order: [['id', 'ASC']], limit: batchSize });
        const ids = questions.map((q) => q.id);
        const answers =
          ids.length > 0 ? await Answer.findAll({ where: { questionId: ids }, order: [['createdAt', 'ASC']] }) : [];
        writes = questions.map((q) => {
          const doc = questionSearchBody(
            q,
            answers.filter((a) => a.questionId === q.id),
          );
          return { op: 'index', index: targetIndex, id: q.id, version: Date.parse(doc.updatedAt), doc };
        });
        lastId = questions[questions.length - 1]?.id;
      }
      await bulkWrite(search, writes);
      const next: ReindexBatchResult['next'] =
        writes.length === batchSize && lastId !== undefined
          ? { kind, afterId: lastId }
          : kind === 'document'
            ? { kind: 'question', afterId: null }
            : null;
      logger.info(
        { targetIndex, kind, indexed: writes.length, afterId: cursor?.afterId ?? null },
        'reindex: batch written',
      );
      return { indexed: writes.length, next };
    },

    async swapAlias({ targetIndex }: { targetIndex: string }): Promise<{ alias: string; previous: string[] }> {
      if (!ownIndex(targetIndex)) throw new Error(`not a knowledge index: ${targetIndex}`);
      // Searchable before readers are moved to it: normal refresh again, and everything written so far visible.
      await search.client.indices.putSettings({ index: targetIndex, settings: { index: { refresh_interval: '1s' } } });
      await search.client.indices.refresh({ index: targetIndex });
      const current = await aliasTargets(search);
      await search.client.indices.updateAliases({
        actions: [
          ...current.filter((i) => i !== targetIndex).map((index) => ({ remove: { index, alias } })),
          { add: { index: targetIndex, alias } },
        ],
      });
      const previous = (await concreteIndices(search)).filter((i) => i !== targetIndex);
      logger.info({ alias, targetIndex, previous }, 'reindex: alias swapped');
      return { alias, previous };
    },

    async deleteIndices({ indices }: { indices: string[] }): Promise<{ deleted: string[] }> {
      // Never the index readers use, never anything that is not ours, whatever the caller passes.
      const live = new Set(await aliasTargets(search));
      const doomed = indices.filter((i) => ownIndex(i) && !live.has(i));
      const deleted: string[] = [];
      for (const index of doomed) {
        try {
          await search.client.indices.delete({ index });
          deleted.push(index);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      if (deleted.length > 0) logger.info({ deleted }, 'reindex: old indices deleted');
      return { deleted };
    },
  };
}
