import { randomUUID } from 'node:crypto';
import { KnowledgeCategory, KnowledgeDocument } from '../../models';
import { knowledgeSuite, type Harness, type KnowledgeSuite, waitFor, type Auth } from '../../test/harness';
import { SearchIndexing } from './search-service';
import { TaxonomyService } from './taxonomy-service';

/** The category tree, category filters on documents, and tag counts. */
describe('knowledge categories and tags', () => {
  let suite: KnowledgeSuite | undefined;
  let h: Harness;
  let api: KnowledgeSuite['api'];
  let author: Auth;
  let editor: Auth;
  let admin: Auth;
  let reader: Auth;

  beforeAll(async () => {
    suite = await knowledgeSuite('taxonomy');
    ({ h, api } = suite);
    author = (await suite.user({ roles: ['requester', 'agent'] })).auth;
    editor = (await suite.user({ roles: ['requester', 'knowledge_editor'] })).auth;
    admin = (await suite.user({ roles: ['requester', 'admin'] })).auth;
    reader = (await suite.user()).auth;
  });

  afterAll(() => suite?.close());

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
  // ---------------------------------------------------------------------------------- rename, move, delete

  const patch = (id: string, body: object, who: Auth = editor) =>
    api.http.patch(`/api/v1/categories/${id}`).set(who).send(body);
  const remove = (id: string, who: Auth = editor) => api.http.delete(`/api/v1/categories/${id}`).set(who);
  /** Path and ancestor ids as stored (the API shows the path and depth, not the ancestor ids). */
  const stored = async (id: string) => {
    const c = await KnowledgeCategory.findByPk(id);
    return c && { parentId: c.parentId, path: c.path, ancestorIds: c.ancestorIds };
  };
  const writeDoc = async (categoryId: string | null, publish: boolean) => {
    const res = await api.http
      .post('/api/v1/documents')
      .set(author)
      .send({ type: 'article', title: 'Toner', body: 'Shake the cartridge.', categoryId });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    if (publish) expect((await api.http.post(`/api/v1/documents/${id}/publish`).set(editor)).status).toBe(200);
    return id;
  };
  const expectProblem = (res: { status: number; headers: Record<string, string> }, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  };

  it('renames and moves a category; every descendant follows (path, ancestor ids, depth)', async () => {
    const ops = (await category('Ops')).body;
    const devices = (await category('Devices', ops.id)).body;
    const printers = (await category('Printers', devices.id)).body;
    const toner = (await category('Toner', printers.id)).body;
    const support = (await category('Support')).body;

    const renamed = await patch(devices.id, { name: '裝置' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      id: devices.id,
      name: '裝置',
      parentId: ops.id,
      path: ['Ops', '裝置'],
      depth: 1,
    });
    expect(await stored(toner.id)).toEqual({
      parentId: printers.id,
      path: ['Ops', '裝置', 'Printers', 'Toner'],
      ancestorIds: [ops.id, devices.id, printers.id],
    });

    const moved = await patch(devices.id, { parentId: support.id }, admin);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ parentId: support.id, path: ['Support', '裝置'], depth: 1 });
    expect(await stored(devices.id)).toEqual({
      parentId: support.id,
      path: ['Support', '裝置'],
      ancestorIds: [support.id],
    });
    expect(await stored(printers.id)).toEqual({
      parentId: devices.id,
      path: ['Support', '裝置', 'Printers'],
      ancestorIds: [support.id, devices.id],
    });
    expect(await stored(toner.id)).toEqual({
      parentId: printers.id,
      path: ['Support', '裝置', 'Printers', 'Toner'],
      ancestorIds: [support.id, devices.id, printers.id],
    });
    // The category filter of documents follows the tree: a document in Toner is now under Support, not Ops.
    const inToner = await writeDoc(toner.id, false);
    const under = async (id: string) =>
      ((await api.http.get(`/api/v1/documents?categoryId=${id}`).set(editor)).body.data as { id: string }[]).map(
        (d) => d.id,
      );
    expect(await under(support.id)).toEqual([inToner]);
    expect(await under(ops.id)).toEqual([]);

    // Rename and move at once, up to the top level (parentId null); the children of the moved one follow.
    const both = await patch(printers.id, { name: 'Printing', parentId: null });
    expect(both.body).toMatchObject({ name: 'Printing', parentId: null, path: ['Printing'], depth: 0 });
    expect(await stored(toner.id)).toEqual({
      parentId: printers.id,
      path: ['Printing', 'Toner'],
      ancestorIds: [printers.id],
    });
    expect((await api.http.get(`/api/v1/categories/${toner.id}`).set(reader)).body).toMatchObject({
      path: ['Printing', 'Toner'],
      depth: 1,
    });
    // Nothing to change: answered as it is.
    expect((await patch(toner.id, { name: 'Toner', parentId: printers.id })).body.path).toEqual(['Printing', 'Toner']);
  });

  it('refuses a move under itself or a descendant (409) and changes nothing', async () => {
    const a = (await category('Cycle A')).body;
    const b = (await category('Cycle B', a.id)).body;
    const c = (await category('Cycle C', b.id)).body;
    for (const parentId of [a.id, b.id, c.id]) {
      const res = await patch(a.id, { parentId });
      expectProblem(res, 409);
      expect(res.body.code).toBe('category_cycle');
    }
    expect(await stored(a.id)).toEqual({ parentId: null, path: ['Cycle A'], ancestorIds: [] });
    expect(await stored(c.id)).toEqual({
      parentId: b.id,
      path: ['Cycle A', 'Cycle B', 'Cycle C'],
      ancestorIds: [a.id, b.id],
    });
  });

  it('keeps sibling names unique regardless of case (409), as creating does', async () => {
    const parent = (await category('Uniq')).body;
    const x = (await category('Alpha', parent.id)).body;
    const y = (await category('Beta', parent.id)).body;
    const elsewhere = (await category('alpha')).body;

    const rename = await patch(y.id, { name: 'ALPHA' });
    expectProblem(rename, 409);
    expect(rename.body.code).toBe('category_exists');
    const move = await patch(elsewhere.id, { parentId: parent.id });
    expectProblem(move, 409);
    expect(await stored(elsewhere.id)).toEqual({ parentId: null, path: ['alpha'], ancestorIds: [] });
    // A change of case of its own name is not a clash with itself.
    expect((await patch(x.id, { name: 'ALPHA' })).body.path).toEqual(['Uniq', 'ALPHA']);
  });

  it('refuses a move that nests the subtree deeper than 8 levels (400)', async () => {
    let parentId: string | undefined;
    const chain: string[] = [];
    for (let i = 1; i <= 7; i += 1) {
      parentId = (await category(`Deep ${i}`, parentId)).body.id as string;
      chain.push(parentId);
    }
    const top = (await category('Subtree')).body;
    await category('Leaf', top.id);
    const res = await patch(top.id, { parentId: chain[6] });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([{ path: 'body.parentId', message: expect.stringContaining('at most 8 deep') }]);
    expect((await patch(top.id, { parentId: chain[5] })).body.depth).toBe(6);
  });

  it('validates the change (400), needs a token (401), an editor or admin (403), a category (404)', async () => {
    const cat = (await category('Validated')).body;
    for (const body of [{}, { name: '' }, { name: 'a/b' }, { parentId: 'nope' }, { name: 'ok', colour: 'red' }]) {
      expectProblem(await patch(cat.id, body), 400);
    }
    const unknownParent = await patch(cat.id, { parentId: randomUUID() });
    expectProblem(unknownParent, 400);
    expect(unknownParent.body.errors).toEqual([{ path: 'body.parentId', message: 'no such category' }]);
    expectProblem(await api.http.patch('/api/v1/categories/not-a-uuid').set(editor).send({ name: 'x' }), 400);
    expectProblem(await api.http.patch(`/api/v1/categories/${cat.id}`).send({ name: 'x' }), 401);
    expectProblem(await patch(cat.id, { name: 'Mine' }, author), 403);
    expectProblem(await patch(cat.id, { name: 'Mine' }, reader), 403);
    expectProblem(await patch(randomUUID(), { name: 'x' }), 404);
    expect((await api.http.get(`/api/v1/categories/${cat.id}`).set(reader)).body.name).toBe('Validated');
  });

  it('deletes an empty category (204); refuses one with subcategories or documents of any status (409)', async () => {
    const empty = (await category('Empty')).body;
    expectProblem(await api.http.delete(`/api/v1/categories/${empty.id}`), 401);
    expectProblem(await remove(empty.id, author), 403);
    expectProblem(await remove(empty.id, reader), 403);
    expectProblem(await api.http.delete('/api/v1/categories/not-a-uuid').set(editor), 400);
    const gone = await remove(empty.id);
    expect(gone.status).toBe(204);
    expect(gone.text).toBe('');
    expect((await api.http.get(`/api/v1/categories/${empty.id}`).set(reader)).status).toBe(404);
    expectProblem(await remove(empty.id), 404);

    const parent = (await category('Parent')).body;
    const child = (await category('Child', parent.id)).body;
    const withChild = await remove(parent.id, admin);
    expectProblem(withChild, 409);
    expect(withChild.body).toMatchObject({
      code: 'category_not_empty',
      detail: expect.stringContaining('1 subcategory'),
    });
    expect(await stored(child.id)).toEqual({
      parentId: parent.id,
      path: ['Parent', 'Child'],
      ancestorIds: [parent.id],
    });

    // An archived document still counts: deleting would silently drop its category.
    const doc = await writeDoc(child.id, false);
    expect((await api.http.delete(`/api/v1/documents/${doc}`).set(author)).status).toBe(200);
    const withDoc = await remove(child.id);
    expectProblem(withDoc, 409);
    expect(withDoc.body.detail).toContain('1 document');
    const kept = await api.http.get(`/api/v1/documents/${doc}`).set(editor);
    expect(kept.body).toMatchObject({ status: 'archived', categoryId: child.id });
  });

  it('a document filed into the category while it is being deleted keeps it (409, not a lost category)', async () => {
    const busy = (await category('Busy')).body;
    const doc = await writeDoc(null, false);
    let settled = false;
    let pending: Promise<{ status: number; body: { code?: string } }> | undefined;
    await KnowledgeDocument.sequelize!.transaction(async (transaction) => {
      // An edit filing the document here, not yet committed, holds the foreign key's lock on the category row.
      await KnowledgeDocument.update({ categoryId: busy.id }, { where: { id: doc }, transaction });
      pending = remove(busy.id).then((res) => {
        settled = true;
        return res;
      });
      await new Promise((r) => setTimeout(r, 500));
      expect(settled).toBe(false);
    });
    const res = await pending!;
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('category_not_empty');
    expect((await KnowledgeDocument.findByPk(doc))?.categoryId).toBe(busy.id);
  });

  it('a move reindexes the published documents below it: search by the new category finds them', async () => {
    // The service as the Knowledge API builds it, sending changes to indexing through Temporal (this file's worker).
    const indexing = new SearchIndexing(h.infra.temporal, h.infra.search, h.infra.logger);
    const taxonomy = new TaxonomyService((id) => indexing.documentChanged(id));
    const from = (await category('Old home')).body;
    const to = (await category('New home')).body;
    const moving = (await category('Moving', from.id)).body;
    const below = (await category('Below', moving.id)).body;
    const published = await writeDoc(below.id, true);
    const draft = await writeDoc(below.id, false);
    // Ids found under a category; `undefined` while search does not answer 200 (the file's first indexing is
    // creating the index; a search at that moment may fail, and then we ask again).
    const found = async (categoryId: string): Promise<string[] | undefined> => {
      const res = await api.http.get('/api/v1/search').query({ categoryId }).set(reader);
      return res.status === 200 ? (res.body.data as { id: string }[]).map((d) => d.id) : undefined;
    };
    await waitFor('the document under its first category', async () =>
      (await found(from.id))?.includes(published) ? true : undefined,
    );
    const before = async (id: string) => (await KnowledgeDocument.findByPk(id))!.updatedAt.getTime();
    const publishedAt = await before(published);
    const draftAt = await before(draft);

    await taxonomy.updateCategory(moving.id, { parentId: to.id });

    await waitFor('the document under its new category', async () =>
      (await found(to.id))?.includes(published) ? true : undefined,
    );
    expect(await found(from.id)).not.toContain(published);
    expect(await found(below.id)).toEqual([published]);
    // The search entry's version is the row's updated_at: moved forward for the published document only.
    expect(await before(published)).toBeGreaterThan(publishedAt);
    expect(await before(draft)).toBe(draftAt);
  });
});
