/**
 * Search benchmark against the running servers (`npm run up` first; `npm run bench:search` builds first).
 *
 *   npm run bench:search -- [--documents 100000] [--batch 500] [--requests 440] [--concurrency 8] [--fresh] [--keep] [--no-ceiling]
 *
 * It works on its own data so the development knowledge base is untouched: database `tk_bench` (created and
 * migrated here), index prefix `tkbench`, task queue `<queue>-bench`, and its own worker and Knowledge API
 * (port 8101) started from `dist/` with that configuration.
 *
 * 1. Corpus: `--documents` generated published articles and guides (half Traditional Chinese, half English;
 *    `bench/corpus.ts`) inserted into PostgreSQL with a version each. Kept between runs (`--fresh` rebuilds).
 * 2. Engine ceiling (`--no-ceiling` skips it): the same search documents sent straight to the engine in bulk
 *    requests of `--batch` into a scratch index (PostgreSQL reads not timed).
 * 3. Indexing as the product does it: `POST /search/reindex` through the API, i.e. the reindex workflow
 *    reading PostgreSQL in batches, bulk-writing a new index and swapping the alias. Time, documents/s,
 *    worker memory, index size.
 * 4. Search latency: `GET /search?q=` through the API (JWT, validation, engine, PostgreSQL visibility check,
 *    facet names, presenting) against the identical request sent straight to the engine, one at a time and
 *    `--concurrency` at once; the engine's own `took` too. The API's hits are checked against the engine's.
 * 5. The same for `GET /suggestions?text=` (ticket texts, more-like-this).
 * Results go to stdout (Markdown) and bench/results/search-*.json. The bench index is deleted at the end
 * unless `--keep`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { Op } from 'sequelize';
import { cleanQueryText, MAX_SUGGESTION_TEXT } from '../domain/search-text';
import { errorCodeKey } from '../domain/knowledge';
import { createInfra, type Infra } from '../infra';
import { loadConfig } from '../infra/config';
import { migrateUp } from '../infra/migrator';
import {
  buildSearchRequest,
  buildSuggestionRequest,
  createConcreteIndex,
  documentSearchBody,
  knowledgeAlias,
  searchVersion,
} from '../infra/search-index';
import { bulkWrite } from '../activities/knowledge/bulk';
import { DocumentVersion, KnowledgeCategory, KnowledgeDocument, User } from '../models';
import { generateDocument, leafCategories, searchQueries, SUGGESTION_TEXTS, type SearchCase } from './corpus';
import { flag, httpJson, machine, numberOption, runPool, saveResult, summarize, type Timing } from './lib';

const DOCUMENTS = numberOption('documents', 100_000);
const BATCH = numberOption('batch', 500);
const REQUESTS = numberOption('requests', 440);
const CONCURRENCY = numberOption('concurrency', 8);
const API_PORT = numberOption('port', 8101);
const SEED = numberOption('seed', 42);
const SEARCH_QUERIES = searchQueries(SEED);
const ROOT = path.resolve(__dirname, '..');

const base = loadConfig();
const benchDatabaseUrl = (() => {
  const url = new URL(process.env.BENCH_DATABASE_URL ?? base.DATABASE_URL);
  if (!process.env.BENCH_DATABASE_URL) url.pathname = '/tk_bench';
  return url.toString();
})();
const benchEnv: Record<string, string> = {
  DATABASE_URL: benchDatabaseUrl,
  SEARCH_INDEX_PREFIX: 'tkbench',
  TEMPORAL_TASK_QUEUE: `${base.TEMPORAL_TASK_QUEUE}-bench`,
  KNOWLEDGE_API_PORT: String(API_PORT),
  LOG_LEVEL: 'info',
};
const config = loadConfig({ ...process.env, ...benchEnv });
const API = `http://127.0.0.1:${API_PORT}/api/v1`;

const log = (message: string) => console.log(`[bench] ${message}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates the bench database when it does not exist (the application role may create databases). */
async function ensureDatabase(): Promise<void> {
  const url = new URL(benchDatabaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const pg = new PgClient({ connectionString: url.toString() });
  await pg.connect();
  try {
    const exists = await pg.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await pg.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await pg.end();
  }
}

/** An admin (starts the reindex) and a reader (searches), straight in the bench database. */
async function benchUsers(infra: Infra): Promise<{ admin: () => string; reader: () => string; adminId: string }> {
  const [admin] = await User.findOrCreate({
    where: { username: 'bench-admin' },
    defaults: {
      username: 'bench-admin',
      passwordHash: null,
      displayName: 'Bench admin',
      email: null,
      roles: ['admin'],
      departmentId: null,
      managerId: null,
      externalId: null,
    },
  });
  const [reader] = await User.findOrCreate({
    where: { username: 'bench-reader' },
    defaults: {
      username: 'bench-reader',
      passwordHash: null,
      displayName: 'Bench reader',
      email: null,
      roles: ['requester'],
      departmentId: null,
      managerId: null,
      externalId: null,
    },
  });
  return {
    admin: () => infra.tokens.issue(admin.id).token,
    reader: () => infra.tokens.issue(reader.id).token,
    adminId: admin.id,
  };
}

/** Fills the bench database with the generated corpus unless it already holds exactly that many documents. */
async function ensureCorpus(infra: Infra, authorId: string): Promise<{ generatedSeconds: number | null }> {
  const existing = await KnowledgeDocument.count({ where: { status: 'published' } });
  if (existing === DOCUMENTS && !flag('fresh')) {
    log(`corpus: ${existing} documents already in ${new URL(benchDatabaseUrl).pathname.slice(1)} (--fresh rebuilds)`);
    return { generatedSeconds: null };
  }
  const started = performance.now();
  await infra.db.sequelize.query(
    'TRUNCATE documents, document_versions, document_feedback, document_attachments, knowledge_categories CASCADE',
  );
  const leaves: string[] = [];
  const roots = new Map<string, KnowledgeCategory>();
  for (const [rootName, childName] of leafCategories()) {
    let root = roots.get(rootName);
    if (!root) {
      root = await KnowledgeCategory.create({
        name: rootName,
        parentId: null,
        ancestorIds: [],
        path: [rootName],
        createdBy: authorId,
      });
      roots.set(rootName, root);
    }
    const leaf = await KnowledgeCategory.create({
      name: childName,
      parentId: root.id,
      ancestorIds: [root.id],
      path: [rootName, childName],
      createdBy: authorId,
    });
    leaves.push(leaf.id);
  }
  const chunk = 1000;
  const publishedAt = new Date();
  for (let from = 0; from < DOCUMENTS; from += chunk) {
    const docs = Array.from({ length: Math.min(chunk, DOCUMENTS - from) }, (_, k) => generateDocument(SEED, from + k));
    await infra.db.sequelize.transaction(async (transaction) => {
      const rows = await KnowledgeDocument.bulkCreate(
        docs.map(({ leaf, ...d }) => ({
          ...d,
          status: 'published' as const,
          categoryId: leaves[leaf]!,
          errorCodeKeys: d.errorCodes.map(errorCodeKey),
          authorId,
          currentVersion: 1,
          publishedAt,
          publishedBy: authorId,
          reviewAt: null,
          archivedAt: null,
        })),
        { transaction },
      );
      await DocumentVersion.bulkCreate(
        rows.map((r) => ({
          documentId: r.id,
          version: 1,
          authorId,
          revertedFrom: null,
          content: {
            title: r.title,
            body: r.body,
            summary: r.summary,
            categoryId: r.categoryId,
            tags: r.tags,
            language: r.language,
            symptoms: r.symptoms,
            errorCodes: r.errorCodes,
            causes: r.causes,
            steps: r.steps,
          },
        })),
        { transaction },
      );
    });
    if ((from / chunk) % 20 === 19) log(`corpus: ${from + chunk} / ${DOCUMENTS}`);
  }
  await infra.db.sequelize.query('ANALYZE documents');
  const generatedSeconds = (performance.now() - started) / 1000;
  log(`corpus: ${DOCUMENTS} documents generated and stored in ${generatedSeconds.toFixed(1)} s`);
  return { generatedSeconds };
}

/** A worker or API from `dist/` with the bench configuration; its output goes to bench/results/<name>.log. */
function startService(name: 'worker' | 'knowledge-api'): ChildProcess {
  const entry = path.join(ROOT, 'dist', 'scripts', `${name}.js`);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` (npm run bench:search does)`);
  mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  const logFile = path.join(ROOT, 'bench', 'results', `bench-${name}.log`);
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, ...benchEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[bench] ${name} exited (${code ?? signal}); see ${logFile}`);
      process.exit(1);
    }
  });
  return child;
}
let stopping = false;

async function waitFor(what: string, seconds: number, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await ready().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${seconds} s`);
    await sleep(250);
  }
}

/** Resident memory of a process from /proc (MiB): now and the peak. */
function memory(pid: number | undefined): { rssMiB: number; peakMiB: number } | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Search documents of every published row, read in id order in pages of `BATCH` (for the engine ceiling). */
async function* searchBodies() {
  const categories = new Map((await KnowledgeCategory.findAll()).map((c) => [c.id, c]));
  let afterId: string | null = null;
  for (;;) {
    const rows: KnowledgeDocument[] = await KnowledgeDocument.findAll({
      where: { status: 'published', ...(afterId ? { id: { [Op.gt]: afterId } } : {}) },
      order: [['id', 'ASC']],
      limit: BATCH,
    });
    if (rows.length === 0) return;
    yield rows.map((d) => ({
      id: d.id,
      version: searchVersion([d.updatedAt]),
      doc: documentSearchBody(d, d.categoryId ? (categories.get(d.categoryId) ?? null) : null),
    }));
    afterId = rows[rows.length - 1]!.id;
  }
}

async function engineCeiling(infra: Infra): Promise<{ documents: number; seconds: number; perSecond: number }> {
  log(`engine ceiling: bulk requests of ${BATCH} straight to the engine`);
  const index = `${knowledgeAlias(infra.search)}-ceiling`;
  await infra.search.client.indices.delete({ index }, { ignore: [404] });
  await createConcreteIndex(infra.search, index, { building: true });
  let seconds = 0;
  let documents = 0;
  for await (const batch of searchBodies()) {
    const t0 = performance.now();
    await bulkWrite(
      infra.search,
      batch.map((b) => ({ op: 'index', index, id: b.id, version: b.version, doc: b.doc })),
    );
    seconds += (performance.now() - t0) / 1000;
    documents += batch.length;
  }
  const t0 = performance.now();
  await infra.search.client.indices.refresh({ index });
  seconds += (performance.now() - t0) / 1000;
  const { count } = await infra.search.client.count({ index });
  if (count !== documents) throw new Error(`ceiling index holds ${count} documents, expected ${documents}`);
  await infra.search.client.indices.delete({ index });
  log(`engine ceiling: ${documents} in ${seconds.toFixed(1)} s (${(documents / seconds).toFixed(0)}/s)`);
  return { documents, seconds, perSecond: documents / seconds };
}

async function reindexThroughApi(adminToken: string, worker: ChildProcess) {
  const t0 = performance.now();
  const started = await httpJson('POST', `${API}/search/reindex`, adminToken, { batchSize: BATCH });
  const id = started.workflowId as string;
  let workerPeakMiB = 0;
  let lastLogged = 0;
  for (;;) {
    await sleep(500);
    workerPeakMiB = Math.max(workerPeakMiB, memory(worker.pid)?.rssMiB ?? 0);
    const status = await httpJson('GET', `${API}/search/reindex/${encodeURIComponent(id)}`, adminToken);
    const progress = status.progress as { indexed: number; total: number; phase: string; targetIndex: string } | null;
    if (status.status === 'COMPLETED' && progress?.phase === 'done') {
      const seconds = (performance.now() - t0) / 1000;
      return {
        documents: progress.indexed,
        seconds,
        perSecond: progress.indexed / seconds,
        targetIndex: progress.targetIndex,
        workerPeakMiB,
      };
    }
    if (status.status !== 'RUNNING' && status.status !== 'CONTINUED_AS_NEW')
      throw new Error(`reindex ended ${String(status.status)}`);
    if (progress && performance.now() - lastLogged > 10_000) {
      lastLogged = performance.now();
      log(`reindex: ${progress.phase} ${progress.indexed} / ${progress.total}`);
    }
  }
}

type Call = (i: number) => Promise<void>;

/**
 * Latency with one client: request i is sent every way in turn, the order rotating with i, so a change in
 * machine load during the run hits every way alike instead of whichever phase ran last.
 */
async function interleaved<K extends string>(calls: Record<K, Call>): Promise<Record<K, Timing>> {
  const names = Object.keys(calls) as K[];
  const latencies = new Map<K, number[]>(names.map((n) => [n, []]));
  for (let i = 0; i < REQUESTS; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length]!;
      const t0 = performance.now();
      await calls[name](i);
      latencies.get(name)!.push(performance.now() - t0);
    }
  }
  return Object.fromEntries(
    names.map((n) => {
      const l = latencies.get(n)!;
      return [n, summarize(l, l.reduce((sum, x) => sum + x, 0) / 1000)];
    }),
  ) as Record<K, Timing>;
}

/** Throughput with `CONCURRENCY` clients: half the requests each way, then the other half in reverse order. */
async function concurrent(a: Call, b: Call): Promise<[Timing, Timing]> {
  const half = Math.ceil(REQUESTS / 2);
  const a1 = await runPool(half, CONCURRENCY, a);
  const b1 = await runPool(half, CONCURRENCY, b);
  const b2 = await runPool(half, CONCURRENCY, (i) => b(i + half));
  const a2 = await runPool(half, CONCURRENCY, (i) => a(i + half));
  return [
    summarize([...a1.latencies, ...a2.latencies], a1.seconds + a2.seconds),
    summarize([...b1.latencies, ...b2.latencies], b1.seconds + b2.seconds),
  ];
}

/** Median of the engine's own `took` collected since the last call, then forgets them. */
function tookP50(took: number[]): number {
  const p50 = summarize(took, 1).p50;
  took.length = 0;
  return p50;
}

async function main(): Promise<void> {
  const host = machine();
  await ensureDatabase();
  const infra = createInfra(config, 'bench');
  let worker: ChildProcess | undefined;
  let knowledgeApi: ChildProcess | undefined;
  const stop = async () => {
    stopping = true;
    for (const child of [knowledgeApi, worker]) child?.kill('SIGTERM');
    for (const child of [knowledgeApi, worker]) {
      if (child && child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    }
  };
  try {
    await migrateUp(infra.db.sequelize);
    const users = await benchUsers(infra);
    const corpus = await ensureCorpus(infra, users.adminId);

    worker = startService('worker');
    knowledgeApi = startService('knowledge-api');
    await waitFor('bench worker', 120, async () =>
      readFileSync(path.join(ROOT, 'bench', 'results', 'bench-worker.log'), 'utf8').includes('"msg":"worker polling"'),
    );
    await waitFor('bench Knowledge API', 60, async () => (await fetch(`http://127.0.0.1:${API_PORT}/readyz`)).ok);

    const ceiling = flag('no-ceiling') ? null : await engineCeiling(infra);

    log('reindex through the API (workflow: PostgreSQL -> bulk -> alias swap)');
    const reindex = await reindexThroughApi(users.admin(), worker);
    log(`reindex: ${reindex.documents} in ${reindex.seconds.toFixed(1)} s (${reindex.perSecond.toFixed(0)}/s)`);
    const alias = knowledgeAlias(infra.search);
    const stats = (await infra.search.client.cat.indices({ index: alias, format: 'json', bytes: 'b' })) as {
      'docs.count'?: string;
      'store.size'?: string;
    }[];
    const indexMiB = Number(stats[0]?.['store.size'] ?? 0) / 2 ** 20;

    // ------------------------------------------------------------------ search
    const reader = users.reader();
    const engineTook: number[] = [];
    const direct = async (q: SearchCase) => {
      const res = await infra.search.client.search({
        index: alias,
        ...buildSearchRequest({ text: cleanQueryText(q.q), type: q.type, tag: q.tag, size: 20 }),
      });
      engineTook.push(res.took);
      return res;
    };
    const viaApi = async (q: SearchCase) => {
      const params = new URLSearchParams({
        q: q.q,
        limit: '20',
        ...(q.type ? { type: q.type } : {}),
        ...(q.tag ? { tag: q.tag } : {}),
      });
      return httpJson('GET', `${API}/search?${params.toString()}`, reader);
    };
    // Warm-up, and the check that both paths answer the same hits.
    const totals: number[] = [];
    let mismatches = 0;
    for (const q of SEARCH_QUERIES) {
      const engine = await direct(q);
      const page = await viaApi(q);
      const ids = (page.data as { id: string }[]).map((h) => h.id);
      if (ids.join() !== engine.hits.hits.map((h) => h._id).join()) mismatches += 1;
      totals.push(typeof engine.hits.total === 'number' ? engine.hits.total : (engine.hits.total?.value ?? 0));
      if (ids.length === 0)
        throw new Error(`query ${JSON.stringify(q)} found nothing: the corpus and queries disagree`);
    }
    log(`search: ${SEARCH_QUERIES.length} queries, ${REQUESTS} requests each way`);
    const searchCase = (i: number) => SEARCH_QUERIES[i % SEARCH_QUERIES.length]!;
    // What the engine's share is made of: the same request without highlighting, and without facets.
    const variant = (i: number, drop: 'highlight' | 'aggs') => {
      const q = searchCase(i);
      const request = buildSearchRequest({ text: cleanQueryText(q.q), type: q.type, tag: q.tag, size: 20 });
      delete request[drop];
      return infra.search.client.search({ index: alias, ...request }).then(() => undefined);
    };
    engineTook.length = 0;
    const searchOne = await interleaved({
      engine: async (i) => void (await direct(searchCase(i))),
      api: async (i) => void (await viaApi(searchCase(i))),
      noHighlight: (i) => variant(i, 'highlight'),
      noFacets: (i) => variant(i, 'aggs'),
    });
    const searchTook = { sequential: tookP50(engineTook), concurrent: 0 };
    const [searchEngineMany, searchApiMany] = await concurrent(
      async (i) => void (await direct(searchCase(i))),
      async (i) => void (await viaApi(searchCase(i))),
    );
    searchTook.concurrent = tookP50(engineTook);

    // ------------------------------------------------------------------ suggestions
    const suggestDirect = async (s: (typeof SUGGESTION_TEXTS)[number]) => {
      const res = await infra.search.client.search({
        index: alias,
        ...buildSuggestionRequest({ text: cleanQueryText(s.text, MAX_SUGGESTION_TEXT), category: s.category, size: 5 }),
      });
      engineTook.push(res.took);
    };
    const suggestApi = async (s: (typeof SUGGESTION_TEXTS)[number]) => {
      const params = new URLSearchParams({ text: s.text, limit: '5', ...(s.category ? { category: s.category } : {}) });
      await httpJson('GET', `${API}/suggestions?${params.toString()}`, reader);
    };
    for (const s of SUGGESTION_TEXTS) {
      await suggestDirect(s);
      await suggestApi(s);
    }
    log(`suggestions: ${SUGGESTION_TEXTS.length} ticket texts`);
    const suggestionCase = (i: number) => SUGGESTION_TEXTS[i % SUGGESTION_TEXTS.length]!;
    engineTook.length = 0;
    const suggestOne = await interleaved({
      engine: (i) => suggestDirect(suggestionCase(i)),
      api: (i) => suggestApi(suggestionCase(i)),
    });
    const suggestTook = { sequential: tookP50(engineTook), concurrent: 0 };
    const [suggestEngineMany, suggestApiMany] = await concurrent(
      (i) => suggestDirect(suggestionCase(i)),
      (i) => suggestApi(suggestionCase(i)),
    );
    suggestTook.concurrent = tookP50(engineTook);

    const apiMemory = memory(knowledgeApi.pid);
    const jvm = await infra.search.client.nodes.stats({ metric: 'jvm' });
    const heap = Object.values(jvm.nodes)[0]?.jvm?.mem;

    // ------------------------------------------------------------------ report
    const ms = (t: Timing) =>
      `${t.p50.toFixed(1)} | ${t.p95.toFixed(1)} | ${t.p99.toFixed(1)} | ${t.perSecond.toFixed(0)}`;
    const sorted = [...totals].sort((a, b) => a - b);
    const lines = [
      `${DOCUMENTS} documents, batch ${BATCH}, ${REQUESTS} requests per row; ${host} at the start`,
      '',
      '| indexing | documents | seconds | documents/s |',
      '| --- | ---: | ---: | ---: |',
      ...(corpus.generatedSeconds !== null
        ? [
            `| generate + store in PostgreSQL (with versions) | ${DOCUMENTS} | ${corpus.generatedSeconds.toFixed(1)} | ${(DOCUMENTS / corpus.generatedSeconds).toFixed(0)} |`,
          ]
        : []),
      ...(ceiling
        ? [
            `| bulk straight to the engine (ceiling) | ${ceiling.documents} | ${ceiling.seconds.toFixed(1)} | ${ceiling.perSecond.toFixed(0)} |`,
          ]
        : []),
      `| reindex workflow via POST /search/reindex | ${reindex.documents} | ${reindex.seconds.toFixed(1)} | ${reindex.perSecond.toFixed(0)} |`,
      '',
      `index ${indexMiB.toFixed(0)} MiB on disk; worker peak RSS during the reindex ${reindex.workerPeakMiB.toFixed(0)} MiB; engine heap ${((heap?.heap_used_in_bytes ?? 0) / 2 ** 20).toFixed(0)} / ${((heap?.heap_max_in_bytes ?? 0) / 2 ** 20).toFixed(0)} MiB; Knowledge API RSS ${apiMemory?.rssMiB.toFixed(0) ?? '?'} MiB (peak ${apiMemory?.peakMiB.toFixed(0) ?? '?'})`,
      `hits per query: median ${sorted[Math.floor(sorted.length / 2)] ?? 0}, min ${sorted[0] ?? 0}, max ${sorted[sorted.length - 1] ?? 0}; API and engine returned different hits for ${mismatches} of ${SEARCH_QUERIES.length} queries`,
      '',
      '| request | clients | p50 ms | p95 ms | p99 ms | per second | engine took p50 ms |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| search, engine direct | 1 | ${ms(searchOne.engine)} | ${searchTook.sequential.toFixed(0)} |`,
      `| search, engine direct, no highlighting | 1 | ${ms(searchOne.noHighlight)} | |`,
      `| search, engine direct, no facets | 1 | ${ms(searchOne.noFacets)} | |`,
      `| GET /search (API) | 1 | ${ms(searchOne.api)} | |`,
      `| search, engine direct | ${CONCURRENCY} | ${ms(searchEngineMany)} | ${searchTook.concurrent.toFixed(0)} |`,
      `| GET /search (API) | ${CONCURRENCY} | ${ms(searchApiMany)} | |`,
      `| suggestions, engine direct | 1 | ${ms(suggestOne.engine)} | ${suggestTook.sequential.toFixed(0)} |`,
      `| GET /suggestions (API) | 1 | ${ms(suggestOne.api)} | |`,
      `| suggestions, engine direct | ${CONCURRENCY} | ${ms(suggestEngineMany)} | ${suggestTook.concurrent.toFixed(0)} |`,
      `| GET /suggestions (API) | ${CONCURRENCY} | ${ms(suggestApiMany)} | |`,
      '',
      `load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    ];
    console.log(lines.join('\n'));
    const file = saveResult('search', {
      machine: host,
      documents: DOCUMENTS,
      batch: BATCH,
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      corpus,
      ceiling,
      reindex,
      indexMiB,
      engineHeap: heap,
      apiMemory,
      hitsPerQuery: totals,
      mismatches,
      search: { one: searchOne, took: searchTook, engineMany: searchEngineMany, apiMany: searchApiMany },
      suggestions: { one: suggestOne, took: suggestTook, engineMany: suggestEngineMany, apiMany: suggestApiMany },
      loadAverageAtEnd: os.loadavg(),
    });
    log(`results: ${file}`);
    if (!flag('keep')) {
      const targets = Object.keys(await infra.search.client.indices.getAlias({ name: alias }));
      await infra.search.client.indices.delete({ index: targets });
      log(`deleted ${targets.join(', ')} (--keep keeps it)`);
    }
  } finally {
    await stop();
    await infra.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
