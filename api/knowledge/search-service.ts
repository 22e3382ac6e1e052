import { errors, type estypes } from '@elastic/elasticsearch';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Op } from 'sequelize';
import { AppError, badRequest, notFound } from '../../domain/errors';
import { MAX_SUGGESTION_TEXT, cleanQueryText } from '../../domain/search-text';
import type { Logger } from '../../infra/logger';
import type { SearchEngine } from '../../infra/search';
import {
  buildSearchRequest,
  buildSuggestionRequest,
  isIndexMissing,
  knowledgeAlias,
  type HighlightField,
  type KnowledgeSearchDoc,
  type SearchResultType,
} from '../../infra/search-index';
import type { TemporalClient } from '../../infra/temporal';
import { KnowledgeCategory, KnowledgeDocument } from '../../models';
import {
  INDEX_DOCUMENT_WORKFLOW_TYPE,
  INDEX_QUESTION_WORKFLOW_TYPE,
  REINDEX_WORKFLOW_TYPE,
  contentChanged,
  indexDocumentWorkflowId,
  indexQuestionWorkflowId,
  reindexProgress,
  reindexWorkflowId,
  type ReindexInput,
  type ReindexProgress,
} from '../../workflows/knowledge/definitions';

type Hit = estypes.SearchHit<Partial<KnowledgeSearchDoc>>;
interface Bucket {
  value: string;
  count: number;
}

/** Fields whose matches make the snippet, in order of preference. */
const SNIPPET_FIELDS: HighlightField[] = ['summary', 'body', 'answers', 'symptoms', 'steps', 'causes'];
const HIGHLIGHT_FIELDS: HighlightField[] = ['title', ...SNIPPET_FIELDS];

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' })[c]!);

/** Cursor of a search page: the `sort` values of its last hit, and which ordering they belong to. */
interface SearchCursor {
  m: 'score' | 'date';
  v: [number, string];
}
const encodeCursor = (c: SearchCursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(raw: string, mode: SearchCursor['m']): SearchCursor['v'] {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString()) as Partial<SearchCursor>;
    const v = c.v;
    if (c.m === mode && Array.isArray(v) && v.length === 2 && Number.isFinite(v[0]) && typeof v[1] === 'string') {
      return v;
    }
  } catch {
    // fall through
  }
  throw badRequest('The request is not valid.', [
    { path: 'query.cursor', message: 'not a cursor this API issued for this query' },
  ]);
}

/** Engine trouble is never the caller's fault and never a 500: a rejected request is a 400, an outage a 503. */
function engineError(err: unknown): AppError {
  if (err instanceof errors.ResponseError && err.statusCode === 400) {
    return badRequest('The search engine could not run this search; rephrase the query.');
  }
  return new AppError(503, 'search_unavailable', 'Search is unavailable right now; try again shortly.', undefined, {
    'Retry-After': '10',
  });
}

/**
 * Full-text search and ticket suggestions over the search engine. The engine answers which documents match;
 * PostgreSQL has the last word on what a reader may see, so a hit whose document stopped being published
 * (the index has not caught up yet) is dropped.
 */
export class SearchService {
  constructor(
    private readonly search: SearchEngine,
    private readonly logger?: Logger,
  ) {}

  /**
   * Runs a search on the alias. An engine that answers 503 is usually a shard starting (a fresh index, an engine
   * just restarted): wait up to {@link SearchService.SHARD_WAIT} for the index to be usable and try once more,
   * so a reader sees a result a moment later instead of an error.
   */
  private async run(request: Omit<estypes.SearchRequest, 'index'>) {
    const index = knowledgeAlias(this.search);
    const once = () => this.search.client.search<Partial<KnowledgeSearchDoc>>({ index, ...request });
    try {
      return await once();
    } catch (err) {
      if (!(err instanceof errors.ResponseError && err.statusCode === 503)) throw err;
      await this.search.client.cluster
        .health({ index, wait_for_status: 'yellow', timeout: SearchService.SHARD_WAIT })
        .catch(() => undefined);
      return once();
    }
  }

  /** How long a search waits for a starting shard before it answers 503. */
  static readonly SHARD_WAIT = '3s';

  /** An engine failure as the caller sees it, logged when it is the engine's fault (a 503). */
  private failed(err: unknown): AppError {
    const error = engineError(err);
    if (error.status >= 500) this.logger?.warn({ err }, 'search engine request failed');
    return error;
  }

  async find(query: {
    q?: string | undefined;
    type?: SearchResultType | undefined;
    categoryId?: string | undefined;
    tag?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  }) {
    const text = query.q === undefined ? '' : cleanQueryText(query.q);
    const mode = text ? 'score' : 'date';
    const after = query.cursor ? decodeCursor(query.cursor, mode) : undefined;
    const request = buildSearchRequest({ ...query, text, size: query.limit, after });
    let res: estypes.SearchResponse<Partial<KnowledgeSearchDoc>>;
    try {
      res = await this.run(request);
    } catch (err) {
      if (isIndexMissing(err))
        return { data: [], total: 0, facets: { type: [], category: [], tags: [] }, nextCursor: null };
      throw this.failed(err);
    }
    const hits = await this.stillVisible(res.hits.hits);
    const last = res.hits.hits[res.hits.hits.length - 1];
    const more = res.hits.hits.length === query.limit && last?.sort !== undefined;
    const aggs = res.aggregations as
      Record<string, { values?: { buckets?: { key: string; doc_count: number }[] } }> | undefined;
    const buckets = (name: string): Bucket[] =>
      (aggs?.[name]?.values?.buckets ?? []).map((b) => ({ value: String(b.key), count: b.doc_count }));
    const total = res.hits.total;
    return {
      data: hits.map(presentHit),
      total: typeof total === 'number' ? total : (total?.value ?? hits.length),
      facets: { type: buckets('type'), category: await this.named(buckets('category')), tags: buckets('tags') },
      nextCursor: more ? encodeCursor({ m: mode, v: last.sort as [number, string] }) : null,
    };
  }

  async suggest(query: { text: string; category?: string | undefined; limit: number }) {
    const text = cleanQueryText(query.text, MAX_SUGGESTION_TEXT);
    if (!text) throw badRequest('The request is not valid.', [{ path: 'query.text', message: 'no words to match' }]);
    let res: estypes.SearchResponse<Partial<KnowledgeSearchDoc>>;
    try {
      res = await this.run(buildSuggestionRequest({ text, category: query.category, size: query.limit }));
    } catch (err) {
      if (isIndexMissing(err)) return { data: [], nextCursor: null };
      throw this.failed(err);
    }
    const hits = await this.stillVisible(res.hits.hits);
    return {
      data: hits.map((h) => ({
        id: h._id!,
        type: h._source?.type as 'article' | 'guide',
        title: h._source?.title ?? '',
        summary: h._source?.summary ?? '',
        score: h._score ?? 0,
        ...(h._source?.type === 'guide' ? { errorCodes: h._source.errorCodes ?? [] } : {}),
      })),
      nextCursor: null,
    };
  }

  /** Drops document hits PostgreSQL no longer shows readers (archived a moment ago, index not yet updated). */
  private async stillVisible(hits: Hit[]): Promise<Hit[]> {
    const docIds = hits.filter((h) => h._source?.kind === 'document').map((h) => h._id!);
    if (docIds.length === 0) return hits;
    const published = new Set(
      (
        await KnowledgeDocument.findAll({
          where: { id: { [Op.in]: docIds }, status: 'published' },
          attributes: ['id'],
        })
      ).map((d) => d.id),
    );
    return hits.filter((h) => h._source?.kind !== 'document' || published.has(h._id!));
  }

  private async named(buckets: Bucket[]) {
    const ids = buckets.map((b) => b.value);
    const categories = ids.length > 0 ? await KnowledgeCategory.findAll({ where: { id: { [Op.in]: ids } } }) : [];
    const byId = new Map(categories.map((c) => [c.id, c]));
    return buckets.map((b) => ({ ...b, name: byId.get(b.value)?.name ?? null, path: byId.get(b.value)?.path ?? [] }));
  }
}

function presentHit(h: Hit) {
  const s = h._source ?? {};
  const highlight: Record<string, string[]> = {};
  for (const field of HIGHLIGHT_FIELDS) {
    // The character-level field's fragments when it matched, else the vocabulary-level one's (`打印` in `印表機`).
    const fragments = [h.highlight?.[field], h.highlight?.[`${field}.phrase`]].find((f) =>
      f?.some((x) => x.includes('<em>')),
    );
    if (fragments) highlight[field] = fragments;
  }
  const snippetField = SNIPPET_FIELDS.find((f) => highlight[f]);
  return {
    id: h._id!,
    type: s.type ?? 'article',
    title: s.title ?? '',
    snippet: snippetField ? highlight[snippetField]![0]! : escapeHtml(s.summary ?? ''),
    highlight,
    score: h._score ?? null,
    summary: s.summary ?? '',
    categoryId: s.categoryId ?? null,
    tags: s.tags ?? [],
    ...(s.type === 'guide' ? { errorCodes: s.errorCodes ?? [] } : {}),
    publishedAt: s.publishedAt ?? null,
  };
}

/**
 * The API's side of search indexing: after a change commits, ask Temporal to make the engine agree. A signal-
 * with-start on `index-doc-<id>` starts the document's indexing workflow, or, when one is already running
 * (a burst of edits, or the engine is down and it is retrying), queues one more pass that reads the latest row.
 * The user's write has committed already: failing to reach Temporal is logged, never thrown (a reindex
 * repairs what was missed).
 */
export class SearchIndexing {
  /** How long a write waits for Temporal before giving up on starting its indexing (ms). */
  static readonly START_DEADLINE_MS = 3000;

  private readonly reindexId: string;

  constructor(
    private readonly temporal: TemporalClient,
    search: Pick<SearchEngine, 'index'>,
    private readonly logger: Logger,
  ) {
    this.reindexId = reindexWorkflowId(knowledgeAlias(search));
  }

  documentChanged(documentId: string): Promise<void> {
    return this.signal(INDEX_DOCUMENT_WORKFLOW_TYPE, indexDocumentWorkflowId(documentId), { documentId });
  }

  questionChanged(questionId: string): Promise<void> {
    return this.signal(INDEX_QUESTION_WORKFLOW_TYPE, indexQuestionWorkflowId(questionId), { questionId });
  }

  private async signal(workflowType: string, workflowId: string, input: object): Promise<void> {
    try {
      await this.temporal.connection.withDeadline(Date.now() + SearchIndexing.START_DEADLINE_MS, () =>
        this.temporal.client.workflow.signalWithStart(workflowType, {
          workflowId,
          taskQueue: this.temporal.taskQueue,
          args: [input],
          signal: contentChanged,
          signalArgs: [],
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        }),
      );
    } catch (err) {
      this.logger.warn({ err, workflowId }, 'search indexing not started; the next reindex will pick the change up');
    }
  }

  /** Starts the rebuild, or joins the one already running (one at a time). */
  async startReindex(input: ReindexInput): Promise<{ workflowId: string; runId: string }> {
    try {
      const handle = await this.temporal.client.workflow.start(REINDEX_WORKFLOW_TYPE, {
        workflowId: this.reindexId,
        taskQueue: this.temporal.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
      return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
    } catch (err) {
      this.logger.error({ err }, 'reindex not started');
      throw new AppError(503, 'temporal_unavailable', 'The workflow service is unavailable; try again shortly.');
    }
  }

  /** Status and progress of the latest rebuild with this id; 404 for anything that is not a rebuild. */
  async reindexStatus(workflowId: string) {
    if (workflowId !== this.reindexId) throw notFound('Reindex');
    const handle = this.temporal.client.workflow.getHandle(workflowId);
    let description;
    try {
      description = await handle.describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound('Reindex');
      throw err;
    }
    let progress: ReindexProgress | null = null;
    try {
      progress = await this.temporal.connection.withDeadline(Date.now() + 5000, () => handle.query(reindexProgress));
    } catch (err) {
      this.logger.warn({ err, workflowId }, 'reindex progress query not answered');
    }
    return {
      workflowId,
      runId: description.runId,
      status: description.status.name,
      progress: progress && {
        phase: progress.phase,
        targetIndex: progress.targetIndex,
        total: progress.total,
        indexed: progress.indexed,
        batches: progress.batches,
        startedAt: progress.startedAt,
        finishedAt: progress.finishedAt,
        removedIndices: progress.removedIndices,
      },
    };
  }
}
