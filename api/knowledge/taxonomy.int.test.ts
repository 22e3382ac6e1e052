import { randomUUID } from 'node:crypto';
import { createKnowledgeApp } from '../knowledge-app';
import {
  agent,
  bearer,
  buildUser,
  cleanUpKnowledge,
  createHarness,
  knowledgeOverrides,
  startWorker,
  type Harness,
} from '../../test/harness';

type Auth = { Authorization: string };

/** The category tree, category filters on documents, and tag counts. */
describe('knowledge categories and tags', () => {
  let h: Harness;
  // Publication runs in the document lifecycle workflow: this file runs a worker on its own task queue.
  let stopWorker: (() => Promise<void>) | undefined;
  let api: ReturnType<typeof agent>;
  let author: Auth;
  let editor: Auth;
  let reader: Auth;

  beforeAll(async () => {
    h = await createHarness(knowledgeOverrides('taxonomy'));
    await h.reset();
    stopWorker = await startWorker(h.infra);
    api = agent(createKnowledgeApp(h.infra));
    author = bearer(h.infra, (await buildUser({ roles: ['requester', 'agent'] })).id);
    editor = bearer(h.infra, (await buildUser({ roles: ['requester', 'knowledge_editor'] })).id);
    reader = bearer(h.infra, (await buildUser()).id);
  });

  afterAll(async () => {
    api.server.close();
    await cleanUpKnowledge(h.infra);
    await stopWorker?.();
    await h.close();
  });

  const category = (name: string, parentId?: string, who: Auth = editor) =>
    api.http
      .post('/api/v1/categories')
      .set(who)
      .send({ name, ...(parentId ? { parentId } : {}) });

  it('builds a tree: paths, depth, tree order, children of one category', async () => {
    const it = (await category('IT')).body;
    expect(it).toMatchObject({ name: 'IT', parentId: null, path: ['IT'], depth: 0 });
    const printers = (await category('印表機', it.id)).body;
    expect(printers).toMatchObject({ parentId: it.id, path: ['IT', '印表機'], depth: 1 });
    const hr = (await category('HR')).body;
    const network = (await category('Network', it.id)).body;

    const all = await api.http.get('/api/v1/categories').set(reader);
    expect(all.status).toBe(200);
    expect(all.body.data.map((c: { id: string }) => c.id)).toEqual([hr.id, it.id, network.id, printers.id]);
    const page1 = await api.http.get('/api/v1/categories?limit=3').set(reader);
    const page2 = await api.http.get(`/api/v1/categories?limit=3&cursor=${page1.body.nextCursor}`).set(reader);
    expect(page2.body).toEqual({ data: [expect.objectContaining({ id: printers.id })], nextCursor: null });
    const children = await api.http.get(`/api/v1/categories?parentId=${it.id}`).set(reader);
    expect(children.body.data.map((c: { id: string }) => c.id)).toEqual([network.id, printers.id]);
    expect((await api.http.get(`/api/v1/categories/${printers.id}`).set(reader)).body.path).toEqual(['IT', '印表機']);
    expect((await api.http.get(`/api/v1/categories/${randomUUID()}`).set(reader)).status).toBe(404);
  });

  it('refuses duplicates among siblings (409), unknown parents and bad names (400), non-editors (403)', async () => {
    const root = (await category('Software')).body;
    expect((await category('software')).status).toBe(409);
    expect((await category('Office', root.id)).status).toBe(201);
    expect((await category('Office')).status).toBe(201);
    const orphan = await category('Orphan', randomUUID());
    expect(orphan.status).toBe(400);
    expect(orphan.body.errors).toEqual([{ path: 'body.parentId', message: 'no such category' }]);
    const bad = await api.http.post('/api/v1/categories').set(editor).send({ name: 'a/b', parentId: 'x' });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path)).toEqual(['body.name', 'body.parentId']);
    expect((await category('Mine', undefined, author)).status).toBe(403);
    expect((await category('Mine', undefined, reader)).status).toBe(403);
    expect((await api.http.post('/api/v1/categories').send({ name: 'x' })).status).toBe(401);
    expect((await api.http.get('/api/v1/categories')).status).toBe(401);
    expect((await api.http.get('/api/v1/categories?cursor=nonsense').set(reader)).status).toBe(400);
  });

  it('filters documents by a category and everything below it', async () => {
    const top = (await category('Hardware')).body;
    const sub = (await category('Laptops', top.id)).body;
    const elsewhere = (await category('Facilities')).body;
    const write = async (categoryId: string) => {
      const { id } = (
        await api.http
          .post('/api/v1/documents')
          .set(author)
          .send({ type: 'article', title: 't', body: 'b', categoryId })
      ).body;
      await api.http.post(`/api/v1/documents/${id}/publish`).set(editor);
      return id as string;
    };
    const inTop = await write(top.id);
    const inSub = await write(sub.id);
    await write(elsewhere.id);
    const ids = async (id: string) =>
      ((await api.http.get(`/api/v1/documents?categoryId=${id}`).set(reader)).body.data as { id: string }[]).map(
        (d) => d.id,
      );
    expect((await ids(top.id)).sort()).toEqual([inTop, inSub].sort());
    expect(await ids(sub.id)).toEqual([inSub]);
  });

  it('counts tags: published documents for readers, drafts too for editors', async () => {
    const write = (tags: string[]) =>
      api.http.post('/api/v1/documents').set(author).send({ type: 'article', title: 't', body: 'b', tags });
    const a = (await write(['VPN', 'network'])).body;
    const b = (await write(['vpn'])).body;
    await write(['vpn', 'draft-only']);
    await api.http.post(`/api/v1/documents/${a.id}/publish`).set(editor);
    await api.http.post(`/api/v1/documents/${b.id}/publish`).set(editor);

    const forReader = await api.http.get('/api/v1/tags').set(reader);
    expect(forReader.status).toBe(200);
    expect(forReader.body.data).toEqual([
      { name: 'vpn', count: 2 },
      { name: 'network', count: 1 },
    ]);
    const forEditor = await api.http.get('/api/v1/tags').set(editor);
    expect(forEditor.body.data).toEqual([
      { name: 'vpn', count: 3 },
      { name: 'draft-only', count: 1 },
      { name: 'network', count: 1 },
    ]);
    const paged = await api.http.get('/api/v1/tags?limit=1').set(reader);
    expect(paged.body.data).toEqual([{ name: 'vpn', count: 2 }]);
    const next = await api.http.get(`/api/v1/tags?limit=1&cursor=${paged.body.nextCursor}`).set(reader);
    expect(next.body).toEqual({ data: [{ name: 'network', count: 1 }], nextCursor: null });
    expect((await api.http.get('/api/v1/tags?prefix=NET').set(reader)).body.data).toEqual([
      { name: 'network', count: 1 },
    ]);
    expect((await api.http.get('/api/v1/tags?limit=0').set(reader)).status).toBe(400);
    expect((await api.http.get('/api/v1/tags')).status).toBe(401);
  });
});
