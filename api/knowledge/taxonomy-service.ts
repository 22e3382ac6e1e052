import { QueryTypes, UniqueConstraintError } from 'sequelize';
import { badRequest, conflict, notFound } from '../../domain/errors';
import type { Principal } from '../../domain/roles';
import { KnowledgeCategory } from '../../models';
import { decodeNumberCursor, offsetPage } from './cursor';
import { tagCountStatuses } from './policy';

/** A tree deeper than this is a filing system nobody can navigate. */
export const MAX_CATEGORY_DEPTH = 8;

/** The category tree and the tag vocabulary. */
export class TaxonomyService {
  async createCategory(
    user: Principal,
    input: { name: string; parentId?: string | null | undefined },
  ): Promise<KnowledgeCategory> {
    let parent: KnowledgeCategory | null = null;
    if (input.parentId) {
      parent = await KnowledgeCategory.findByPk(input.parentId);
      if (!parent)
        throw badRequest('The category is not valid.', [{ path: 'body.parentId', message: 'no such category' }]);
      if (parent.path.length >= MAX_CATEGORY_DEPTH)
        throw badRequest('The category is not valid.', [
          { path: 'body.parentId', message: `categories nest at most ${MAX_CATEGORY_DEPTH} deep` },
        ]);
    }
    try {
      return await KnowledgeCategory.create({
        name: input.name,
        parentId: parent?.id ?? null,
        ancestorIds: parent ? [...parent.ancestorIds, parent.id] : [],
        path: [...(parent?.path ?? []), input.name],
        createdBy: user.id,
      });
    } catch (err) {
      if (err instanceof UniqueConstraintError)
        throw conflict(`A category named "${input.name}" already exists there.`, 'category_exists');
      throw err;
    }
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
}
