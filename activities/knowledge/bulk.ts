import type { estypes } from '@elastic/elasticsearch';
import type { SearchEngine } from '../../infra/search';
import type { KnowledgeSearchDoc } from '../../infra/search-index';

/** One write of a search document: the full document, or its removal, at an external version. */
export type SearchWrite =
  | { op: 'index'; index: string; id: string; version: number; doc: KnowledgeSearchDoc }
  | { op: 'delete'; index: string; id: string; version: number | null };

/**
 * Sends writes in one bulk request. A version conflict means the engine already holds a newer copy (a later
 * edit or a retry that landed): that is success. Removing what is not there is success too. Any other item
 * failure is thrown, so Temporal retries the whole (idempotent) activity.
 */
export async function bulkWrite(search: SearchEngine, writes: SearchWrite[]): Promise<void> {
  if (writes.length === 0) return;
  const operations: estypes.BulkRequest['operations'] = [];
  for (const w of writes) {
    const meta = {
      _index: w.index,
      _id: w.id,
      ...(w.version !== null ? { version: w.version, version_type: 'external' as const } : {}),
    };
    if (w.op === 'index') operations.push({ index: meta }, w.doc);
    else operations.push({ delete: meta });
  }
  const res = await search.client.bulk({ operations });
  if (!res.errors) return;
  const failures = res.items.flatMap((item) => {
    const [op, result] = Object.entries(item)[0] as [string, estypes.BulkResponseItem];
    if (result.status === 409 || (op === 'delete' && result.status === 404)) return [];
    return result.error
      ? [`${op} ${result._index}/${result._id}: ${result.status} ${result.error.type} ${result.error.reason ?? ''}`]
      : [];
  });
  if (failures.length > 0) {
    throw new Error(`search engine refused ${failures.length} write(s): ${failures.slice(0, 3).join('; ')}`);
  }
}
