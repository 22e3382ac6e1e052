/**
 * The knowledge search index: its name and alias, analysis settings and mappings, the document written for a
 * knowledge document or a question, and the search and suggestion requests. Only features that OpenSearch 2.x
 * and Elasticsearch 8/9 both have are used (custom analyzers from analysis-common, `mapping` char filters,
 * `cjk_bigram`, `multi_match`, `more_like_this`, `function_score`, `search_after`, filter/terms aggregations).
 *
 * Naming: readers and writers use the alias `<prefix>-knowledge`; it points at one concrete index
 * `<prefix>-knowledge-<stamp>`. A reindex builds a new concrete index and swaps the alias atomically, and
 * while it builds, single-document writes go to every concrete index, so nothing written during the rebuild
 * is lost. Writes carry an external version (the row's `updatedAt` in ms), so an older copy of a document can
 * never overwrite a newer one, whatever order retries and batches land in.
 */
import { errors, type estypes } from '@elastic/elasticsearch';
import { conversionRules } from '../domain/search-text';
import type { SearchEngine } from './search';

/** The alias every reader and the single-document writers use. */
export const knowledgeAlias = (search: Pick<SearchEngine, 'index'>): string => search.index('knowledge');

/** The concrete index a reindex started at `stamp` (workflow time, ms) builds. */
export const concreteIndexName = (alias: string, stamp: number): string => `${alias}-${stamp}`;

/** Name of the index {@link ensureIndex} creates when nothing exists yet. */
export const initialIndexName = (alias: string): string => `${alias}-initial`;

export type SearchKind = 'document' | 'question';
export type SearchResultType = 'article' | 'guide' | 'question';

/** The JSON the engine stores for one knowledge document or question. */
export interface KnowledgeSearchDoc {
  id: string;
  kind: SearchKind;
  type: SearchResultType;
  title: string;
  summary: string;
  body: string;
  tags: string[];
  language: string | null;
  symptoms: string[];
  errorCodes: string[];
  causes: string[];
  steps: string[];
  /** Questions: the bodies of their answers, the accepted one first. */
  answers: string[];
  categoryId: string | null;
  /** The category and all its ancestors, so a category filter includes everything below it. */
  categoryIds: string[];
  categoryPath: string[];
  acceptedAnswer: boolean;
  answerCount: number;
  publishedAt: string | null;
  updatedAt: string;
}

// ---------------------------------------------------------------------------------------------- settings

/**
 * A highlighted text field and its `.phrase` twin, both storing offsets: without them the highlighter
 * re-analyses every hit's text through the Chinese char filters, which was a third of a search's engine time
 * at 100k documents (BENCHMARKS.md).
 */
const textField = (): estypes.MappingProperty => ({
  type: 'text',
  analyzer: 'zh_en',
  index_options: 'offsets',
  fields: { phrase: { type: 'text', analyzer: 'zh_en_phrases', index_options: 'offsets' } },
});

/** Index settings: two analyzers that differ only in how far Traditional Chinese is mapped to Simplified. */
export function indexSettings(options: { building?: boolean } = {}): estypes.IndicesIndexSettings {
  const common = {
    type: 'custom',
    tokenizer: 'standard',
    // Like the built-in `cjk` analyzer (width folding, lower case, bigrams of Han/Kana/Hangul runs), plus the
    // English possessive, stop words and Porter stemming that `cjk` lacks (`printers` -> `printer`).
    filter: ['cjk_width', 'lowercase', 'zh_bigram', 'en_possessive', 'en_stop', 'en_stem'],
  };
  return {
    number_of_shards: 1,
    auto_expand_replicas: '0-1',
    ...(options.building ? { refresh_interval: '-1' } : {}),
    analysis: {
      char_filter: {
        zh_tw_variants: { type: 'mapping', mappings: conversionRules('tw-variants') },
        zh_tw_phrases: { type: 'mapping', mappings: conversionRules('tw-phrases') },
        zh_simplified: { type: 'mapping', mappings: conversionRules('to-simplified') },
      },
      filter: {
        zh_bigram: { type: 'cjk_bigram' },
        en_possessive: { type: 'stemmer', language: 'possessive_english' },
        en_stop: { type: 'stop', stopwords: '_english_' },
        en_stem: { type: 'stemmer', language: 'english' },
      },
      normalizer: { folded: { type: 'custom', filter: ['lowercase'] } },
      analyzer: {
        zh_en: { ...common, char_filter: ['zh_tw_variants', 'zh_simplified'] },
        zh_en_phrases: { ...common, char_filter: ['zh_tw_phrases', 'zh_simplified'] },
      },
    },
  } as estypes.IndicesIndexSettings;
}

export const INDEX_MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    kind: { type: 'keyword' },
    type: { type: 'keyword' },
    language: { type: 'keyword' },
    title: textField(),
    summary: textField(),
    body: textField(),
    symptoms: textField(),
    causes: textField(),
    steps: textField(),
    answers: textField(),
    tags: {
      type: 'keyword',
      normalizer: 'folded',
      fields: { text: { type: 'text', analyzer: 'zh_en' }, phrase: { type: 'text', analyzer: 'zh_en_phrases' } },
    },
    errorCodes: { type: 'keyword', normalizer: 'folded', fields: { text: { type: 'text', analyzer: 'zh_en' } } },
    categoryId: { type: 'keyword' },
    categoryIds: { type: 'keyword' },
    categoryPath: { type: 'text', analyzer: 'zh_en', fields: { phrase: { type: 'text', analyzer: 'zh_en_phrases' } } },
    acceptedAnswer: { type: 'boolean' },
    answerCount: { type: 'integer' },
    publishedAt: { type: 'date' },
    updatedAt: { type: 'date' },
  },
};

// ------------------------------------------------------------------------------------------ index admin

const status = (err: unknown): number | undefined => (err instanceof errors.ResponseError ? err.statusCode : undefined);
const errorType = (err: unknown): string | undefined =>
  err instanceof errors.ResponseError
    ? (err.body as { error?: { type?: string } } | undefined)?.error?.type
    : undefined;

export const isNotFound = (err: unknown): boolean => status(err) === 404;
export const isVersionConflict = (err: unknown): boolean => status(err) === 409;
export const isIndexMissing = (err: unknown): boolean => errorType(err) === 'index_not_found_exception';
/** The engine rejected the request itself (4xx other than a missing index): not worth retrying. */
export const isRequestRejected = (err: unknown): boolean => {
  const s = status(err);
  return s !== undefined && s >= 400 && s < 500 && !isIndexMissing(err);
};

/** Creates a concrete knowledge index; creating one that exists is a no-op (a retried activity). */
export async function createConcreteIndex(
  search: SearchEngine,
  index: string,
  options: { building?: boolean; alias?: string } = {},
): Promise<void> {
  try {
    await search.client.indices.create({
      index,
      settings: indexSettings(options),
      mappings: INDEX_MAPPINGS,
      ...(options.alias ? { aliases: { [options.alias]: {} } } : {}),
    });
  } catch (err) {
    if (errorType(err) !== 'resource_already_exists_exception') throw err;
  }
  // A new index answers searches only once its primary shard has started; on a freshly started engine that
  // takes a moment after `create` returns ("all shards failed" otherwise).
  await search.client.cluster.health({ index, wait_for_status: 'yellow', timeout: '30s' });
}

/** Every concrete knowledge index (`<alias>-*`), whether or not the alias points at it. */
export async function concreteIndices(search: SearchEngine): Promise<string[]> {
  const rows = await search.client.cat.indices({ index: `${knowledgeAlias(search)}-*`, h: 'index', format: 'json' });
  return (rows as { index?: string }[]).flatMap((r) => (r.index ? [r.index] : [])).sort();
}

/** The concrete indices the alias points at now. */
export async function aliasTargets(search: SearchEngine): Promise<string[]> {
  const alias = knowledgeAlias(search);
  try {
    return Object.keys(await search.client.indices.getAlias({ name: alias })).sort();
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}

/**
 * Makes sure the alias exists (first start of a fresh installation): creates `<alias>-initial` with the alias
 * when there is none. Safe to run concurrently and repeatedly.
 */
export async function ensureIndex(search: SearchEngine): Promise<string> {
  const alias = knowledgeAlias(search);
  if ((await aliasTargets(search)).length > 0) return alias;
  const index = initialIndexName(alias);
  await createConcreteIndex(search, index, { alias });
  if ((await aliasTargets(search)).length === 0) await search.client.indices.putAlias({ index, name: alias });
  return alias;
}

// ------------------------------------------------------------------------------------------ documents

/** What a knowledge document row provides (structurally, so this module does not depend on the models). */
export interface DocumentSource {
  id: string;
  type: 'article' | 'guide';
  title: string;
  body: string;
  summary: string;
  tags: string[];
  language: string;
  symptoms: string[];
  errorCodes: string[];
  causes: string[];
  steps: string[];
  categoryId: string | null;
  publishedAt: Date | null;
  updatedAt: Date;
}

export function documentSearchBody(
  doc: DocumentSource,
  category: { id: string; ancestorIds: string[]; path: string[] } | null,
): KnowledgeSearchDoc {
  return {
    id: doc.id,
    kind: 'document',
    type: doc.type,
    title: doc.title,
    summary: doc.summary,
    body: doc.body,
    tags: doc.tags,
    language: doc.language,
    symptoms: doc.symptoms,
    errorCodes: doc.errorCodes,
    causes: doc.causes,
    steps: doc.steps,
    answers: [],
    categoryId: doc.categoryId,
    categoryIds: category ? [...category.ancestorIds, category.id] : [],
    categoryPath: category?.path ?? [],
    acceptedAnswer: false,
    answerCount: 0,
    publishedAt: doc.publishedAt?.toISOString() ?? null,
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export interface QuestionSource {
  id: string;
  title: string;
  body: string;
  tags: string[];
  acceptedAnswerId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A question is one search document with its answers folded in (the accepted answer first). */
export function questionSearchBody(
  q: QuestionSource,
  answers: { id: string; body: string; updatedAt: Date }[],
): KnowledgeSearchDoc {
  const ordered = [...answers].sort(
    (a, b) => Number(b.id === q.acceptedAnswerId) - Number(a.id === q.acceptedAnswerId),
  );
  return {
    id: q.id,
    kind: 'question',
    type: 'question',
    title: q.title,
    summary: '',
    body: q.body,
    tags: q.tags,
    language: null,
    symptoms: [],
    errorCodes: [],
    causes: [],
    steps: [],
    answers: ordered.map((a) => a.body),
    categoryId: null,
    categoryIds: [],
    categoryPath: [],
    acceptedAnswer: q.acceptedAnswerId !== null,
    answerCount: answers.length,
    publishedAt: q.createdAt.toISOString(),
    updatedAt: new Date(searchVersion([q.updatedAt, ...answers.map((a) => a.updatedAt)])).toISOString(),
  };
}

/** External version of a search document: its newest change in ms (monotonic with the database rows). */
export const searchVersion = (dates: Date[]): number => Math.max(...dates.map((d) => d.getTime()));

// ------------------------------------------------------------------------------------------ queries

/** Fields a query text is matched against, with the weight of a match in each (title matches count most). */
export const SEARCH_FIELDS = [
  'title^4',
  'title.phrase^3',
  'summary^2',
  'summary.phrase^1.5',
  'body',
  'body.phrase^0.8',
  'tags.text^2',
  'tags.phrase^1.5',
  'symptoms^1.5',
  'symptoms.phrase^1.2',
  'causes',
  'causes.phrase^0.8',
  'steps',
  'steps.phrase^0.8',
  'errorCodes.text^3',
  'answers',
  'answers.phrase^0.8',
  'categoryPath',
];

const HIGHLIGHT_FIELDS = ['title', 'summary', 'body', 'symptoms', 'causes', 'steps', 'answers'] as const;
export type HighlightField = (typeof HIGHLIGHT_FIELDS)[number];

/** Search and suggestion results carry these source fields only (never the whole body). */
const RESULT_SOURCE = ['id', 'kind', 'type', 'title', 'summary', 'categoryId', 'tags', 'errorCodes', 'publishedAt'];

export interface SearchFilters {
  type?: SearchResultType | undefined;
  /** This category or any below it. */
  categoryId?: string | undefined;
  /** Compared lower-case. */
  tag?: string | undefined;
}

export interface SearchParams extends SearchFilters {
  /** Cleaned query text (`cleanQueryText`); empty or absent lists everything, newest first. */
  text?: string | undefined;
  size: number;
  /** `sort` values of the last hit of the previous page. */
  after?: (number | string)[] | undefined;
}

const filterClauses = (f: SearchFilters, skip?: keyof SearchFilters): estypes.QueryDslQueryContainer[] => [
  ...(f.type && skip !== 'type' ? [{ term: { type: f.type } }] : []),
  ...(f.categoryId && skip !== 'categoryId' ? [{ term: { categoryIds: f.categoryId } }] : []),
  ...(f.tag && skip !== 'tag' ? [{ term: { tags: f.tag.toLowerCase() } }] : []),
];

/** Guides are what an agent acts on, so they rank a little higher; answered questions above unanswered. */
const RANKING: estypes.QueryDslFunctionScoreContainer[] = [
  { filter: { term: { type: 'guide' } }, weight: 1.5 },
  {
    filter: { bool: { must: [{ term: { kind: 'question' } }], must_not: [{ term: { acceptedAnswer: true } }] } },
    weight: 0.8,
  },
];

/**
 * The text part of a search: every analysed field, at least most of the query's words (`2<70%`: all of one or
 * two words, 70 % of more), plus bonuses for the whole query appearing in the title and for an exact error
 * code. The text is only ever the `query` of match-type queries: no query syntax is parsed.
 */
export function textQuery(text: string): estypes.QueryDslQueryContainer {
  return {
    function_score: {
      query: {
        bool: {
          must: [
            {
              multi_match: {
                query: text,
                type: 'best_fields',
                fields: SEARCH_FIELDS,
                tie_breaker: 0.3,
                minimum_should_match: '2<70%',
              },
            },
          ],
          should: [
            { match_phrase: { title: { query: text, boost: 3 } } },
            { match_phrase: { 'title.phrase': { query: text, boost: 2 } } },
            { term: { errorCodes: { value: text.toLowerCase(), boost: 10 } } },
          ],
        },
      },
      functions: RANKING,
      score_mode: 'multiply',
      boost_mode: 'multiply',
    },
  };
}

/**
 * `GET /search`: the text query scores; filters go into `post_filter`, and each facet is counted with every
 * filter but its own, so a reader who picked a tag still sees how many hits the other tags would give.
 */
export function buildSearchRequest(p: SearchParams): Omit<estypes.SearchRequest, 'index'> {
  const hasText = Boolean(p.text);
  const facet = (field: string, skip: keyof SearchFilters, size: number): estypes.AggregationsAggregationContainer => ({
    filter: { bool: { filter: filterClauses(p, skip) } },
    aggs: { values: { terms: { field, size } } },
  });
  const highlightField = (name: string, fragments: number): [string, estypes.SearchHighlightField] => [
    name,
    fragments === 0 ? { number_of_fragments: 0 } : { number_of_fragments: fragments, fragment_size: 160 },
  ];
  return {
    size: p.size,
    track_total_hits: true,
    query: hasText ? textQuery(p.text!) : { match_all: {} },
    post_filter: { bool: { filter: filterClauses(p) } },
    sort: hasText
      ? [{ _score: { order: 'desc' } }, { id: { order: 'asc' } }]
      : [{ publishedAt: { order: 'desc' } }, { id: { order: 'asc' } }],
    ...(p.after ? { search_after: p.after } : {}),
    _source: RESULT_SOURCE,
    aggs: {
      type: facet('type', 'type', 10),
      category: facet('categoryId', 'categoryId', 20),
      tags: facet('tags', 'tag', 20),
    },
    ...(hasText
      ? {
          highlight: {
            encoder: 'html',
            pre_tags: ['<em>'],
            post_tags: ['</em>'],
            fields: Object.fromEntries(
              HIGHLIGHT_FIELDS.flatMap((f) => {
                const n = f === 'title' ? 0 : 2;
                return [highlightField(f, n), highlightField(`${f}.phrase`, n)];
              }),
            ),
          },
        }
      : {}),
  };
}

export interface SuggestionParams {
  /** The ticket's title and description, cleaned. */
  text: string;
  /** The ticket's category: documents tagged with it, or in a knowledge category of that name, rank higher. */
  category?: string | undefined;
  size: number;
}

/**
 * `GET /suggestions`: published articles and guides like the ticket being written. `more_like_this` picks the
 * ticket's most distinctive words (the like-text is analysed by each field's own analyzer, so Traditional,
 * Simplified and English all work); a looser `multi_match` keeps short texts from finding nothing.
 */
export function buildSuggestionRequest(p: SuggestionParams): Omit<estypes.SearchRequest, 'index'> {
  const fields = SEARCH_FIELDS.map((f) => f.split('^')[0]!).filter((f) => !f.startsWith('answers'));
  const related: estypes.QueryDslQueryContainer = {
    bool: {
      should: [
        {
          more_like_this: {
            fields,
            like: p.text,
            min_term_freq: 1,
            min_doc_freq: 1,
            max_query_terms: 30,
            minimum_should_match: '20%',
          },
        },
        { multi_match: { query: p.text, fields: SEARCH_FIELDS, minimum_should_match: '30%' } },
      ],
      minimum_should_match: 1,
    },
  };
  const category = p.category?.trim();
  return {
    size: p.size,
    _source: RESULT_SOURCE,
    query: {
      function_score: {
        query: {
          bool: {
            must: [related],
            filter: [{ terms: { type: ['article', 'guide'] } }],
            should: category
              ? [
                  { term: { tags: { value: category.toLowerCase(), boost: 2 } } },
                  { match_phrase: { categoryPath: { query: category, boost: 2 } } },
                ]
              : [],
          },
        },
        functions: [RANKING[0]!],
        score_mode: 'multiply',
        boost_mode: 'multiply',
      },
    },
  };
}
