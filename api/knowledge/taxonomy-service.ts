import { Op, QueryTypes, UniqueConstraintError, type Transaction } from 'sequelize';
import { badRequest, conflict, notFound } from '../../domain/errors';
import { MAX_CATEGORY_DEPTH, planCategoryMove } from '../../domain/knowledge';
import { refusalToError } from '../../domain/refusal';
import type { Principal } from '../../domain/roles';
import { KnowledgeCategory, KnowledgeDocument } from '../../models';
import { decodeNumberCursor, offsetPage } from './cursor';
import { tagCountStatuses } from './policy';

/**
 * Key of the transaction-level advisory lock that orders changes to the shape of the tree: adding a category
 * takes it shared (adds run side by side; the sibling-name index settles their races), moving or deleting one
 * takes it exclusively. So the tree a change reads is the tree it writes: two moves cannot race each other into
 * a cycle, and a new child cannot copy its parent's path from before a rename that is committing.
 */
const TREE_LOCK = 727_172_101;

/** How many indexing requests a move sends to Temporal at once. */
const REINDEX_CONCURRENCY = 16;

const sequelize = () => KnowledgeCategory.sequelize!;

const lockTree = (transaction: Transaction, mode: 'shared' | 'exclusive') =>
  sequelize().query(
    mode === 'shared' ? 'SELECT pg_advisory_xact_lock_shared(:key)' : 'SELECT pg_advisory_xact_lock(:key)',
    { replacements: { key: TREE_LOCK }, transaction, type: QueryTypes.SELECT },
  );

const parentNotFound = () =>
  badRequest('The category is not valid.', [{ path: 'body.parentId', message: 'no such category' }]);
const nameTaken = (name: string) => conflict(`A category named "${name}" already exists there.`, 'category_exists');

/** The category tree and the tag vocabulary. */
export class TaxonomyService {
  /**
   * @param documentChanged asks the search index to refresh one document after a change has committed (a move or
   *   rename changes the category path and ids its search entry carries); it must not throw.
   */
  constructor(private readonly documentChanged: (documentId: string) => Promise<void> = async () => {}) {}

  async createCategory(
    user: Principal,
    input: { name: string; parentId?: string | null | undefined },
  ): Promise<KnowledgeCategory> {
    try {
      return await sequelize().transaction(async (transaction) => {
        await lockTree(transaction, 'shared');
        let parent: KnowledgeCategory | null = null;
        if (input.parentId) {
          parent = await KnowledgeCategory.findByPk(input.parentId, { transaction });
          if (!parent) throw parentNotFound();
          if (parent.path.length >= MAX_CATEGORY_DEPTH)
            throw badRequest('The category is not valid.', [
              { path: 'body.parentId', message: `categories nest at most ${MAX_CATEGORY_DEPTH} deep` },
            ]);
        }
        return KnowledgeCategory.create(
          {
            name: input.name,
            parentId: parent?.id ?? null,
            ancestorIds: parent ? [...parent.ancestorIds, parent.id] : [],
            path: [...(parent?.path ?? []), input.name],
            createdBy: user.id,
          },
          { transaction },
        );
      });
    } catch (err) {
      if (err instanceof UniqueConstraintError) throw nameTaken(input.name);
      throw err;
    }
  }

  /**
   * Renames and/or moves a category (`parentId: null` makes it a top-level one). Its subcategories move along:
   * the stored `path` and `ancestorIds` of the category and of every descendant change in one transaction.
   * Refused: an unknown parent or a subtree that would nest too deep (400), a parent that is the category or one
   * of its descendants, or a sibling with the name (409). Afterwards the published documents of the subtree are
   * sent for reindexing, since their search entries carry the category path and ids.
   */
  async updateCategory(
    id: string,
    input: { name?: string | undefined; parentId?: string | null | undefined },
  ): Promise<KnowledgeCategory> {
    const { category, subtreeIds } = await sequelize().transaction(async (transaction) => {
      await lockTree(transaction, 'exclusive');
      const category = await KnowledgeCategory.findByPk(id, { transaction });
      if (!category) throw notFound('Category');
      const name = input.name ?? category.name;
      const parentId = input.parentId === undefined ? category.parentId : input.parentId;
      if (name === category.name && parentId === category.parentId) return { category, subtreeIds: [] };

      const parent = parentId ? await KnowledgeCategory.findByPk(parentId, { transaction }) : null;
      if (parentId && !parent) throw parentNotFound();
      const descendants = await KnowledgeCategory.findAll({
        where: { ancestorIds: { [Op.contains]: [id] } },
        attributes: ['id', 'path'],
        transaction,
      });
      const height = Math.max(0, ...descendants.map((d) => d.path.length - category.path.length));
      const plan = planCategoryMove(category, { name, parent }, height);
      if (!plan.ok) {
        if (plan.code === 'category_too_deep')
          throw badRequest('The category is not valid.', [{ path: 'body.parentId', message: plan.message }]);
        throw refusalToError(plan);
      }

      const oldDepth = category.path.length;
      const now = new Date();
      try {
        await category.update({ name, parentId, ...plan.value }, { transaction });
      } catch (err) {
        if (err instanceof UniqueConstraintError) throw nameTaken(name);
        throw err;
      }
      // Every descendant keeps what lies below the category and takes the category's new place as its prefix:
      // ancestor_ids[oldDepth:] starts with the category's own id, path[oldDepth + 1:] with its first child.
      if (descendants.length > 0) {
        await sequelize().query(
          `UPDATE knowledge_categories
              SET ancestor_ids = $1::uuid[] || ancestor_ids[$3::int:],
                  path = $2::text[] || path[($3::int + 1):],
                  updated_at = $5
            WHERE ancestor_ids @> ARRAY[$4::uuid]`,
          { bind: [plan.value.ancestorIds, plan.value.path, oldDepth, id, now], transaction },
        );
      }
      return { category, subtreeIds: [id, ...descendants.map((d) => d.id)] };
    });
    if (subtreeIds.length > 0) await this.reindexDocuments(subtreeIds);
    return category;
  }

  /**
   * Deletes an empty category: one without subcategories and without documents in any status (archived ones
   * too: they would silently lose their category). 409 says what is still in it.
   */
  async deleteCategory(id: string): Promise<void> {
    await sequelize().transaction(async (transaction) => {
      await lockTree(transaction, 'exclusive');
      // FOR UPDATE conflicts with the FOR KEY SHARE lock PostgreSQL's foreign key check takes on this row when a
      // document is written into the category: a document saved while we look either commits first (and is
      // counted below, in a newer snapshot) or waits for us and then fails its foreign key check (400).
      const category = await KnowledgeCategory.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!category) throw notFound('Category');
      const children = await KnowledgeCategory.count({ where: { parentId: id }, transaction });
      const documents = await KnowledgeDocument.count({ where: { categoryId: id }, transaction });
      if (children > 0 || documents > 0) {
        const what = [
          ...(children > 0 ? [`${children} subcategor${children === 1 ? 'y' : 'ies'}`] : []),
          ...(documents > 0 ? [`${documents} document${documents === 1 ? '' : 's'} (archived ones included)`] : []),
        ];
        throw conflict(
          `The category still holds ${what.join(' and ')}; move or delete them first.`,
          'category_not_empty',
        );
      }
      await category.destroy({ transaction });
    });
  }

  async getCategory(id: string): Promise<KnowledgeCategory> {
    const category = await KnowledgeCategory.findByPk(id);
    if (!category) throw notFound('Category');
    return category;
  }

  /** A flat list in tree order (each parent right before its children), or one category's children. */
  async listCategories(query: { limit: number; cursor?: string | undefined; parentId?: string | undefined }) {
    const offset = decodeNumberCursor(query.cursor) ?? 0;
    const rows = await KnowledgeCategory.findAll({
      where: query.parentId ? { parentId: query.parentId } : {},
      order: [
        ['path', 'ASC'],
        ['id', 'ASC'],
      ],
      limit: query.limit + 1,
      offset,
    });
    return offsetPage(rows, query.limit, offset);
  }

  /** Tags with the number of documents carrying them, most used first; readers count published documents only. */
  async tags(user: Principal, query: { limit: number; cursor?: string | undefined; prefix?: string | undefined }) {
    const offset = decodeNumberCursor(query.cursor) ?? 0;
    const prefix = query.prefix ? `${query.prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const rows = await KnowledgeCategory.sequelize!.query<{ name: string; count: number }>(
      `SELECT tag AS name, count(*)::int AS count
         FROM documents d, unnest(d.tags) AS tag
        WHERE d.status IN (:statuses) ${prefix ? 'AND tag LIKE :prefix' : ''}
        GROUP BY tag
        ORDER BY count DESC, tag ASC
        LIMIT :limit OFFSET :offset`,
      {
        replacements: { statuses: tagCountStatuses(user), prefix, limit: query.limit + 1, offset },
        type: QueryTypes.SELECT,
      },
    );
    return offsetPage(rows, query.limit, offset);
  }

  /**
   * Sends every published document filed in `categoryIds` for reindexing, after the move has committed.
   *
   * Cost: one signal-with-start to Temporal per document (at most {@link REINDEX_CONCURRENCY} in flight, each
   * bounded by `SearchIndexing.START_DEADLINE_MS`), then one short indexing workflow per document on the worker,
   * each reading its row and category and writing one search entry. A move of a subtree holding tens of thousands
   * of published documents therefore holds the response for a while and queues as many workflows; for a
   * reorganisation of that size the admin's full reindex (`POST /search/reindex`) is the cheaper tool.
   *
   * Search entries are versioned by the document's `updated_at` (see `activities/knowledge/indexing.ts`), so an
   * unchanged row would be refused by the engine as not newer than what it holds. The documents' `updated_at`
   * therefore moves forward first: their search representation did change. That runs after the commit, so it
   * also catches a document published or filed into the subtree while the move ran (its own indexing may have
   * read the category before the move committed); one published or filed later reads the new path anyway.
   */
  private async reindexDocuments(categoryIds: string[]): Promise<void> {
    const rows = await sequelize().query<{ id: string }>(
      `UPDATE documents
          SET updated_at = GREATEST($2::timestamptz, updated_at + interval '1 millisecond')
        WHERE category_id = ANY($1::uuid[]) AND status = 'published'
        RETURNING id`,
      { bind: [categoryIds, new Date()], type: QueryTypes.SELECT },
    );
    let next = 0;
    const sender = async () => {
      while (next < rows.length) await this.documentChanged(rows[next++]!.id);
    };
    await Promise.all(Array.from({ length: Math.min(REINDEX_CONCURRENCY, rows.length) }, sender));
  }
}
