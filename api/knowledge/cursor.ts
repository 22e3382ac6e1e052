import { badRequest } from '../../domain/errors';

const invalid = () =>
  badRequest('The request is not valid.', [{ path: 'query.cursor', message: 'not a cursor this API issued' }]);

/**
 * An opaque cursor over a non-negative integer: an offset for lists sorted by something other than
 * creation time (tags by count, categories by path), or the last version number for version history.
 */
export const encodeNumberCursor = (n: number): string => Buffer.from(`n:${n}`).toString('base64url');

export function decodeNumberCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString();
  const n = text.startsWith('n:') ? Number(text.slice(2)) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw invalid();
  return n;
}

/** Cuts one extra row off a page fetched with `limit + 1`, and says where the next page starts. */
export function offsetPage<T>(rows: T[], limit: number, offset: number): { rows: T[]; nextCursor: string | null } {
  const more = rows.length > limit;
  return { rows: more ? rows.slice(0, limit) : rows, nextCursor: more ? encodeNumberCursor(offset + limit) : null };
}
