/**
 * Knowledge search end to end: the real Knowledge API, PostgreSQL, OpenSearch and the Temporal dev server with
 * a real worker running the knowledge workflows and activities. It lives here, not in api/, because it wires
 * a worker (activities) and the API together, which the import boundaries allow only in workflow tests.
 *
 * Own task queue and index prefix, so it collides with nobody's tests or data.
 */
import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createKnowledgeApp } from '../../api/knowledge-app';
import { createKnowledgeActivities } from '../../activities/knowledge';
import type { Infra } from '../../infra';
import { SearchEngine } from '../../infra/search';
import { aliasTargets, concreteIndices, knowledgeAlias } from '../../infra/search-index';
import { TemporalClient } from '../../infra/temporal';
import { KnowledgeDocument } from '../../models';
import {
  agent,
  bearer,
  buildUser,
  cleanUpKnowledge,
  createHarness,
  type Harness,
  waitFor,
  type Auth,
} from '../../test/harness';
import { indexDocumentWorkflowId } from './definitions';

const suffix = randomUUID().slice(0, 8);
const overrides = { TEMPORAL_TASK_QUEUE: `tk-search-${suffix}`, SEARCH_INDEX_PREFIX: `tk-search-${suffix}` };

/** A worker with the knowledge workflows and activities on this file's task queue. */
async function startSearchWorker(infra: Infra): Promise<() => Promise<void>> {
  const connection = await NativeConnection.connect({ address: infra.config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: infra.config.TEMPORAL_NAMESPACE,
    taskQueue: infra.config.TEMPORAL_TASK_QUEUE,
    workflowsPath: require.resolve('./index'),
    activities: createKnowledgeActivities(infra),
  });
  const running = worker.run();
  return async () => {
    worker.shutdown();
    await running;
    await connection.close();
  };
}

interface Hit {
  id: string;
  type: string;
  title: string;
  snippet: string;
  highlight: Record<string, string[]>;
  score: number | null;
}

describe('knowledge search', () => {
  let h: Harness;
  let api: ReturnType<typeof agent>;
  let stopWorker: (() => Promise<void>) | undefined;
  let editor: Auth;
  let reader: Auth;
  let admin: Auth;
  const ids: Record<string, string> = {};
  let hardware: string;
  let printers: string;

  const search = (query: Record<string, string>, who: Auth = reader) =>
    api.http.get('/api/v1/search').query(query).set(who);
  const hitIds = async (query: Record<string, string>, who: Auth = reader): Promise<string[]> => {
    const res = await search(query, who);
    expect(res.status).toBe(200);
    return (res.body.data as Hit[]).map((d) => d.id);
  };
  const until = (what: string, query: Record<string, string>, ok: (ids: string[]) => boolean, ms?: number) =>
    waitFor(what, async () => (ok(await hitIds(query)) ? true : undefined), ms);

  async function write(body: object): Promise<string> {
    const res = await api.http
      .post('/api/v1/documents')
      .set(editor)
      .send({ type: 'article', ...body });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  const publish = async (id: string) => {
    const res = await api.http.post(`/api/v1/documents/${id}/publish`).set(editor);
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    h = await createHarness(overrides);
    await h.reset();
    stopWorker = await startSearchWorker(h.infra);
    api = agent(createKnowledgeApp(h.infra));
    editor = bearer(h.infra, (await buildUser({ roles: ['requester', 'knowledge_editor'] })).id);
    reader = bearer(h.infra, (await buildUser({ roles: ['requester'] })).id);
    admin = bearer(h.infra, (await buildUser({ roles: ['requester', 'admin'] })).id);
    hardware = (await api.http.post('/api/v1/categories').set(editor).send({ name: 'Hardware' })).body.id as string;
    printers = (await api.http.post('/api/v1/categories').set(editor).send({ name: '印表機', parentId: hardware })).body
      .id as string;

    ids.printer = await write({
      title: '印表機無法連線怎麼辦',
      body: '先檢查網路線，再確認印表機的 IP 設定。',
      summary: '辦公室印表機離線',
      tags: ['Printer', '網路'],
      categoryId: printers,
    });
    ids.queue = await write({
      title: 'Print jobs stuck',
      body: '清除列印佇列，然後重新啟動 spooler 服務。',
      tags: ['printer'],
      categoryId: hardware,
    });
    ids.vpn = await write({
      title: 'VPN from home',
      body: 'The printer on floor 3 is offline when you are on the VPN; connect to the office network first.',
      language: 'en',
      tags: ['vpn'],
    });
    ids.guide = await write({
      type: 'guide',
      title: 'Windows Update 失敗',
      body: '更新時出現錯誤代碼。',
      symptoms: ['更新卡在 0%'],
      errorCodes: ['0x80070005'],
      causes: ['權限不足'],
      steps: ['以系統管理員身分執行 Windows Update'],
      tags: ['windows'],
    });
    ids.draft = await write({ title: '印表機草稿 secret draft', body: '尚未發布的草稿 zebra' });
    for (const key of ['printer', 'queue', 'vpn', 'guide']) await publish(ids[key]!);
    await until('the published documents', { q: '印表機' }, (found) => found.includes(ids.printer!));
    await until('the guide', { q: 'Windows' }, (found) => found.includes(ids.guide!));
  });

  afterAll(async () => {
    api?.server.close();
    await stopWorker?.();
    await cleanUpKnowledge(h.infra);
    await h?.close();
  });

  it('a published document is searchable within seconds', async () => {
    const id = await write({ title: 'Bluetooth 滑鼠沒有反應', body: 'Replace the battery.' });
    const published = Date.now();
    await publish(id);
    await until('the new document', { q: '滑鼠' }, (found) => found.includes(id), 10_000);
    expect(Date.now() - published).toBeLessThan(10_000);
  });

  it('finds Traditional Chinese text by its words, with highlights', async () => {
    const res = await search({ q: '印表機' });
    expect(res.status).toBe(200);
    const hit = (res.body.data as Hit[]).find((d) => d.id === ids.printer)!;
    expect(hit).toBeDefined();
    expect(res.body.data[0].id).toBe(ids.printer); // the title match ranks first
    expect(hit.highlight.title).toEqual(['<em>印表機</em>無法連線怎麼辦']);
    expect(hit.snippet).toContain('<em>');
    expect(hit.score).toBeGreaterThan(0);
  });

  it('Simplified queries find Traditional text: character level and Taiwan vocabulary', async () => {
    const simplified = await search({ q: '印表机' });
    const hit = (simplified.body.data as Hit[]).find((d) => d.id === ids.printer)!;
    // The highlight marks the words as written, in Traditional characters.
    expect(hit.highlight.title).toEqual(['<em>印表機</em>無法連線怎麼辦']);
    expect(await hitIds({ q: '打印机' })).toContain(ids.printer); // 印表機 is 打印机 in mainland usage
    expect(await hitIds({ q: '打印' })).toEqual(expect.arrayContaining([ids.printer, ids.queue]));
  });

  it('`列印佇列` finds text containing it; highlights mark the original characters', async () => {
    const res = await search({ q: '列印佇列' });
    expect((res.body.data as Hit[]).map((d) => d.id)).toContain(ids.queue);
    const hit = (res.body.data as Hit[]).find((d) => d.id === ids.queue)!;
    expect(hit.highlight.body?.join(' ')).toContain('<em>列印佇列</em>');
  });

  it('English words match their other forms: `printers` finds `printer`', async () => {
    expect(await hitIds({ q: 'printers' })).toContain(ids.vpn);
  });

  it('finds a guide by its error code, first', async () => {
    const found = await hitIds({ q: '0x80070005' });
    expect(found[0]).toBe(ids.guide);
    expect(await hitIds({ q: '0X80070005' })).toContain(ids.guide);
  });

  it('counts facets by type, category and tag, and filters by them', async () => {
    const res = await search({ q: 'printer 印表機 打印' });
    expect(res.status).toBe(200);
    const { facets } = res.body as { facets: Record<string, { value: string; count: number; name?: string }[]> };
    expect(facets.type).toEqual(expect.arrayContaining([{ value: 'article', count: expect.any(Number) }]));
    expect(facets.tags!.find((b) => b.value === 'printer')?.count).toBeGreaterThanOrEqual(2);
    expect(facets.category!.find((b) => b.value === printers)).toMatchObject({ name: '印表機', count: 1 });

    expect(await hitIds({ q: 'Windows', type: 'guide' })).toEqual([ids.guide]);
    expect(await hitIds({ q: 'Windows', type: 'article' })).toEqual([]);
    // A category includes the ones below it.
    expect((await hitIds({ categoryId: hardware })).sort()).toEqual([ids.printer, ids.queue].sort());
    expect(await hitIds({ categoryId: printers })).toEqual([ids.printer]);
    expect(await hitIds({ tag: 'PRINTER', q: '印表機' })).toEqual([ids.printer]);
    // A facet ignores its own filter, so the other types are still offered.
    const filtered = await search({ type: 'guide' });
    expect((filtered.body.data as Hit[]).map((d) => d.id)).toEqual([ids.guide]);
    expect((filtered.body.facets.type as { value: string }[]).map((b) => b.value)).toEqual(
      expect.arrayContaining(['article', 'guide']),
    );
  });

  it('pages with nextCursor without repeating hits', async () => {
    const first = await search({ limit: '2' });
    expect(first.body.data).toHaveLength(2);
    expect(first.body.total).toBeGreaterThanOrEqual(4);
    const second = await search({ limit: '2', cursor: first.body.nextCursor as string });
    expect(second.status).toBe(200);
    const a = (first.body.data as Hit[]).map((d) => d.id);
    expect((second.body.data as Hit[]).some((d) => a.includes(d.id))).toBe(false);
    expect((await search({ q: '印表機', cursor: first.body.nextCursor as string })).status).toBe(400);
    expect((await search({ cursor: 'garbage' })).status).toBe(400);
  });

  it('a draft never appears, for readers or editors', async () => {
    expect(await hitIds({ q: 'zebra' })).toEqual([]);
    expect(await hitIds({ q: '草稿' }, editor)).toEqual([]);
  });

  it('query syntax characters are plain text: 200 or 400, never 500', async () => {
    for (const q of [
      '"',
      '(',
      'AND',
      '*',
      '\\',
      'printer"',
      'title:(印表機 OR',
      '[* TO *]',
      '/.*/',
      '~1^2',
      '\u0000',
      '{"a":1}',
      'x'.repeat(999),
    ]) {
      const res = await search({ q });
      expect([200, 400]).toContain(res.status);
    }
    expect((await search({ q: 'x'.repeat(1001) })).status).toBe(400);
  });

  it('checks input and authentication', async () => {
    expect((await api.http.get('/api/v1/search').query({ q: '印表機' })).status).toBe(401);
    expect((await search({ type: 'folder' })).status).toBe(400);
    expect((await search({ limit: '1000' })).status).toBe(400);
    expect((await search({ categoryId: 'nope' })).status).toBe(400);
    expect((await api.http.get('/api/v1/suggestions').set(reader)).status).toBe(400);
  });

  it('suggests articles and guides for a Chinese ticket text', async () => {
    const res = await api.http
      .get('/api/v1/suggestions')
      .query({ text: '會議室的印表機無法連線，列印佇列也卡住了，請協助處理', category: 'printer' })
      .set(reader);
    expect(res.status).toBe(200);
    const found = (res.body.data as { id: string; type: string }[]).map((d) => d.id);
    expect(found.slice(0, 2).sort()).toEqual([ids.printer, ids.queue].sort());
    expect(found).not.toContain(ids.vpn);
    expect((res.body.data as { type: string }[]).every((d) => d.type === 'article' || d.type === 'guide')).toBe(true);
  });

  it('an edit of a published document is searchable; archiving removes it', async () => {
    const edited = await api.http
      .patch(`/api/v1/documents/${ids.vpn}`)
      .set(editor)
      .send({ title: 'VPN from home with Wireguard' });
    expect(edited.status).toBe(200);
    await until('the edit', { q: 'wireguard' }, (found) => found.includes(ids.vpn!));
    expect((await api.http.delete(`/api/v1/documents/${ids.vpn}`).set(editor)).status).toBe(200);
    // Gone from results at once (PostgreSQL decides), and from the index within seconds.
    expect(await hitIds({ q: 'wireguard' })).toEqual([]);
    await waitFor('the removal from the index', async () => {
      const res = await h.infra.search.client.search({
        index: knowledgeAlias(h.infra.search),
        query: { ids: { values: [ids.vpn!] } },
      });
      return res.hits.hits.length === 0 ? true : undefined;
    });
  });

  it('questions with their answers are searchable', async () => {
    const q = await api.http
      .post('/api/v1/questions')
      .set(reader)
      .send({ title: '印表機卡紙怎麼辦', body: '每次列印都卡紙' });
    expect(q.status).toBe(201);
    await until('the question', { q: '卡紙', type: 'question' }, (found) => found.includes(q.body.id as string));
    const a = await api.http
      .post(`/api/v1/questions/${q.body.id}/answers`)
      .set(editor)
      .send({ body: '打開後蓋取出紙張' });
    expect(a.status).toBe(201);
    await until('the answer', { q: '後蓋' }, (found) => found.includes(q.body.id as string));
    const res = await search({ q: '後蓋' });
    expect((res.body.data as Hit[])[0]!.highlight.answers?.[0]).toContain('<em>');
  });

  it('an edit succeeds when Temporal is unreachable (logged, not failed); publishing answers 503 at once', async () => {
    const down = new TemporalClient({ ...h.infra.config, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    const broken = agent(createKnowledgeApp({ ...h.infra, temporal: down }));
    try {
      const id = await write({ title: 'Offline', body: 'x' });
      await publish(id);
      let started = Date.now();
      const edit = await broken.http.patch(`/api/v1/documents/${id}`).set(editor).send({ body: 'y' });
      expect(edit.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(8000);
      // Publication is the lifecycle workflow's: without Temporal it cannot happen, and the caller is told so.
      started = Date.now();
      const res = await broken.http.post(`/api/v1/documents/${id}/publish`).set(editor);
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('temporal_unavailable');
      expect(res.headers['retry-after']).toBe('10');
      expect(Date.now() - started).toBeLessThan(25_000);
    } finally {
      broken.server.close();
      await down.close().catch(() => undefined);
    }
  });

  it('indexing catches up after the search engine was unreachable', async () => {
    // The worker that runs the activities cannot reach the engine (a closed port); the API's write succeeds.
    await stopWorker?.();
    stopWorker = undefined;
    // (Same infra otherwise: a second createInfra would rebind the global models to another pool.)
    const cutSearch = new SearchEngine({ ...h.infra.config, SEARCH_URL: 'http://127.0.0.1:1' });
    const stopCut = await startSearchWorker({ ...h.infra, search: cutSearch });
    let id: string;
    try {
      id = await write({ title: 'Projector flickers 投影機閃爍', body: 'Check the HDMI cable.' });
      await publish(id);
      const handle = h.infra.temporal.client.workflow.getHandle(indexDocumentWorkflowId(id));
      await waitFor('failed attempts', async () => {
        const d = await handle.describe();
        const attempt = d.raw.pendingActivities?.[0]?.attempt ?? 0;
        return attempt >= 2 ? true : undefined;
      });
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect(await hitIds({ q: '投影機' })).toEqual([]);
    } finally {
      await stopCut();
      await cutSearch.close();
    }
    stopWorker = await startSearchWorker(h.infra);
    await until('the catch-up', { q: '投影機' }, (found) => found.includes(id), 40_000);
  });

  it('reindexes a few hundred documents behind the alias while search keeps working', async () => {
    const authorId = (await buildUser({ roles: ['requester', 'agent'] })).id;
    const now = new Date();
    // Written straight to the database, as a migration or restore would: only a reindex makes them searchable.
    await KnowledgeDocument.bulkCreate(
      Array.from({ length: 300 }, (_, i) => ({
        type: 'article' as const,
        status: 'published' as const,
        title: `Bulk article ${i} 批次文件`,
        body: `Imported knowledge number ${i} about monitors`,
        summary: '',
        categoryId: null,
        tags: ['bulk'],
        language: 'en',
        symptoms: [],
        errorCodes: [],
        errorCodeKeys: [],
        causes: [],
        steps: [],
        authorId,
        currentVersion: 1,
        publishedAt: now,
        publishedBy: null,
        reviewAt: null,
        archivedAt: null,
      })),
    );
    expect(await hitIds({ tag: 'bulk' })).toEqual([]);
    const before = await aliasTargets(h.infra.search);

    expect((await api.http.post('/api/v1/search/reindex').set(reader).send({})).status).toBe(403);
    const started = await api.http.post('/api/v1/search/reindex').set(admin).send({ batchSize: 50 });
    expect(started.status).toBe(202);
    const workflowId = started.body.workflowId as string;
    expect((await api.http.get('/api/v1/search/reindex/ticket-1').set(admin)).status).toBe(404);

    let status: { status: string; progress: { phase: string; indexed: number; total: number } | null };
    do {
      // Search never sees a half-built index.
      expect(await hitIds({ q: '印表機' })).toContain(ids.printer);
      const res = await api.http.get(`/api/v1/search/reindex/${workflowId}`).set(admin);
      expect(res.status).toBe(200);
      status = res.body;
      await new Promise((r) => setTimeout(r, 200));
    } while (status.status === 'RUNNING');
    expect(status).toMatchObject({ status: 'COMPLETED', progress: { phase: 'done' } });
    expect(status.progress!.indexed).toBeGreaterThanOrEqual(300 + 4);

    const after = await aliasTargets(h.infra.search);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    expect(await concreteIndices(h.infra.search)).toEqual(after);
    const res = await search({ tag: 'bulk', limit: '1' });
    expect(res.body.total).toBe(300);
    expect(await hitIds({ q: '印表機' })).toContain(ids.printer);
    expect(await hitIds({ q: 'wireguard' })).toEqual([]); // the archived document stays out
  });
});
