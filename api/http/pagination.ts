import { Op, type Model, type ModelStatic, type WhereOptions } from 'sequelize';
import { badRequest } from '../../domain/errors';

interface Cursor {
  t: string;
  id: string;
}

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

function decode(cursor: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Partial<Cursor>;
    if (typeof c.t === 'string' && typeof c.id === 'string' && !Number.isNaN(Date.parse(c.t))) return c as Cursor;
  } catch {
    // fall through
  }
  throw badRequest('The request is not valid.', [{ path: 'query.cursor', message: 'not a cursor this API issued' }]);
}

/**
 * Keyset pagination over (`createdAt`, `id`), newest first: stable under concurrent inserts and
 * cheap at any depth, unlike offsets.
 */
export async function keysetPage<M extends Model & { id: string; createdAt: Date }>(
  model: ModelStatic<M>,
  where: WhereOptions,
  query: { limit: number; cursor?: string | undefined },
): Promise<{ rows: M[]; nextCursor: string | null }> {
  const conditions: WhereOptions[] = [where];
  if (query.cursor) {
    const c = decode(query.cursor);
    conditions.push({
      [Op.or]: [{ createdAt: { [Op.lt]: new Date(c.t) } }, { createdAt: new Date(c.t), id: { [Op.lt]: c.id } }],
    });
  }
  const rows = await model.findAll({
    where: { [Op.and]: conditions } as WhereOptions,
    order: [
      ['createdAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: query.limit + 1,
  });
  const more = rows.length > query.limit;
  const pageRows = more ? rows.slice(0, query.limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { rows: pageRows, nextCursor: more && last ? encode({ t: last.createdAt.toISOString(), id: last.id }) : null };
}
