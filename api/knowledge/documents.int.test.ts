import { randomUUID } from 'node:crypto';
import { knowledgeSuite, type KnowledgeSuite, type Auth } from '../../test/harness';

/** Documents: authoring, visibility, edits as versions, reverts, publishing, archiving and guides. */
describe('knowledge documents', () => {
  let suite: KnowledgeSuite | undefined;
  let api: KnowledgeSuite['api'];
  let author: Auth;
  let authorId: string;
  let otherAgent: Auth;
  let editor: Auth;
  let admin: Auth;
  let reader: Auth;

  beforeAll(async () => {
    suite = await knowledgeSuite('docs');
    api = suite.api;
    ({ id: authorId, auth: author } = await suite.user({ username: 'kb-author', roles: ['requester', 'agent'] }));
    otherAgent = (await suite.user({ username: 'kb-agent2', roles: ['requester', 'agent'] })).auth;
    editor = (await suite.user({ username: 'kb-editor', roles: ['requester', 'knowledge_editor'] })).auth;
    admin = (await suite.user({ username: 'kb-admin', roles: ['requester', 'admin'] })).auth;
    reader = (await suite.user({ username: 'kb-reader' })).auth;
  });

  afterAll(() => suite?.close());

  const write = (body: object = {}, who: Auth = author) =>
    api.http
      .post('/api/v1/documents')
      .set(who)
      .send({
        type: 'article',
        title: '印表機無法連線',
        body: '# 檢查網路線',
        tags: ['Printer', 'printer', '網路'],
        ...body,
      });
  const guide = (errorCodes: string[], extra: object = {}) =>
    write({
      type: 'guide',
      title: 'VPN 連線失敗',
      symptoms: ['The client shows an error'],
      errorCodes,
      causes: ['Expired certificate'],
      steps: ['Renew the certificate', 'Reconnect'],
      ...extra,
    });
  const publish = (id: string, who: Auth = editor, body?: object) =>
    api.http
      .post(`/api/v1/documents/${id}/publish`)
      .set(who)
      .send(body ?? {});

  it('creates a draft at version 1 with normalised tags; guide fields only on guides', async () => {
    const res = await write({ summary: 'Offline printers' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      version: 1,
      status: 'draft',
      type: 'article',
      title: '印表機無法連線',
      body: '# 檢查網路線',
      summary: 'Offline printers',
      tags: ['printer', '網路'],
      language: 'zh-TW',
      authorId,
      views: 0,
      feedback: { helpful: 0, notHelpful: 0 },
      myFeedback: null,
      publishedAt: null,
      reviewAt: null,
    });
    expect(res.body).not.toHaveProperty('steps');
    const g = await guide(['0x80070005', '0X80070005 ', 'E-VPN-42']);
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({
      type: 'guide',
      errorCodes: ['0x80070005', 'E-VPN-42'],
      steps: ['Renew the certificate', 'Reconnect'],
    });
  });

  it('validates input (400 with field paths), requires a token (401) and an authoring role (403)', async () => {
    const bad = await api.http
      .post('/api/v1/documents')
      .set(author)
      .send({ type: 'memo', title: '', body: 'x', language: 'not a language!', owner: 'me' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path)).toEqual(
      expect.arrayContaining(['body', 'body.type', 'body.title', 'body.language']),
    );
    const articleWithSteps = await write({ steps: ['x'] });
    expect(articleWithSteps.status).toBe(400);
    expect(articleWithSteps.body.errors).toEqual([expect.objectContaining({ path: 'body.steps' })]);
    const noCategory = await write({ categoryId: randomUUID() });
    expect(noCategory.status).toBe(400);
    expect(noCategory.body.errors).toEqual([{ path: 'body.categoryId', message: 'no such category' }]);
    expect((await write({}, reader)).status).toBe(403);
    expect((await api.http.post('/api/v1/documents').send({ type: 'article', title: 'x', body: 'y' })).status).toBe(
      401,
    );
    expect((await api.http.get('/api/v1/documents')).status).toBe(401);
    expect((await api.http.get('/api/v1/documents?status=deleted').set(author)).status).toBe(400);
    expect((await api.http.get('/api/v1/documents/not-a-uuid').set(author)).status).toBe(400);
    expect((await api.http.get(`/api/v1/documents/${randomUUID()}`).set(author)).status).toBe(404);
  });

  it('readers see published documents only; authors their drafts; editors everything', async () => {
    const { id } = (await write({ title: 'Draft only' })).body;
    expect((await api.http.get(`/api/v1/documents/${id}`).set(author)).status).toBe(200);
    expect((await api.http.get(`/api/v1/documents/${id}`).set(editor)).status).toBe(200);
    for (const who of [reader, otherAgent]) {
      const res = await api.http.get(`/api/v1/documents/${id}`).set(who);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    const ids = async (who: Auth, q = '') =>
      ((await api.http.get(`/api/v1/documents${q}`).set(who)).body.data as { id: string }[]).map((d) => d.id);
    expect(await ids(reader)).not.toContain(id);
    expect(await ids(author, '?status=draft')).toContain(id);
    expect(await ids(editor)).toContain(id);

    expect((await publish(id)).status).toBe(200);
    expect(await ids(reader)).toContain(id);
    expect(await ids(reader, '?tag=PRINTER&type=article')).toContain(id);
    expect(await ids(reader, '?type=guide')).not.toContain(id);
  });

  it('only the author, editors and admins edit; readers cannot publish (403)', async () => {
    const { id } = (await write()).body;
    expect((await api.http.patch(`/api/v1/documents/${id}`).set(otherAgent).send({ title: 'x' })).status).toBe(404);
    expect((await publish(id, otherAgent)).status).toBe(404);
    await publish(id);
    // Another agent sees the published document but it is not theirs to submit.
    expect((await publish(id, otherAgent)).status).toBe(403);
    expect((await api.http.patch(`/api/v1/documents/${id}`).set(otherAgent).send({ title: 'x' })).status).toBe(403);
    expect((await api.http.patch(`/api/v1/documents/${id}`).set(reader).send({ title: 'x' })).status).toBe(403);
    expect((await publish(id, reader)).status).toBe(403);
    expect((await api.http.patch(`/api/v1/documents/${id}`).set(admin).send({ summary: 'by admin' })).status).toBe(200);
    const empty = await api.http.patch(`/api/v1/documents/${id}`).set(author).send({});
    expect(empty.status).toBe(400);
    const typeChange = await api.http.patch(`/api/v1/documents/${id}`).set(author).send({ type: 'guide' });
    expect(typeChange.status).toBe(400);
  });

  it('every edit is a version: edit -> v2, read v1, revert to v1 -> v3 with v1 content', async () => {
    const v1 = (await write({ title: 'Original', body: 'first body' })).body;
    const v2 = await api.http
      .patch(`/api/v1/documents/${v1.id}`)
      .set(author)
      .send({ title: 'Changed', body: 'second body', baseVersion: 1 });
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({ version: 2, title: 'Changed', body: 'second body', status: 'draft' });

    const same = await api.http.patch(`/api/v1/documents/${v1.id}`).set(author).send({ title: 'Changed' });
    expect(same.body.version).toBe(2);
    const stale = await api.http
      .patch(`/api/v1/documents/${v1.id}`)
      .set(editor)
      .send({ title: 'Late', baseVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('version_conflict');

    const old = await api.http.get(`/api/v1/documents/${v1.id}/versions/1`).set(author);
    expect(old.status).toBe(200);
    expect(old.body).toMatchObject({ version: 1, title: 'Original', body: 'first body', revertedFrom: null });

    const reverted = await api.http.post(`/api/v1/documents/${v1.id}/revert`).set(author).send({ version: 1 });
    expect(reverted.status).toBe(200);
    expect(reverted.body).toMatchObject({ version: 3, title: 'Original', body: 'first body' });
    const v3 = await api.http.get(`/api/v1/documents/${v1.id}/versions/3`).set(editor);
    expect(v3.body).toMatchObject({ version: 3, title: 'Original', revertedFrom: 1 });

    const list = await api.http.get(`/api/v1/documents/${v1.id}/versions?limit=2`).set(author);
    expect(list.body.data.map((v: { version: number }) => v.version)).toEqual([3, 2]);
    const rest = await api.http
      .get(`/api/v1/documents/${v1.id}/versions?limit=2&cursor=${list.body.nextCursor}`)
      .set(author);
    expect(rest.body).toEqual({ data: [expect.objectContaining({ version: 1, title: 'Original' })], nextCursor: null });

    expect((await api.http.post(`/api/v1/documents/${v1.id}/revert`).set(author).send({ version: 3 })).status).toBe(
      409,
    );
    expect((await api.http.post(`/api/v1/documents/${v1.id}/revert`).set(author).send({ version: 9 })).status).toBe(
      404,
    );
    expect((await api.http.post(`/api/v1/documents/${v1.id}/revert`).set(author).send({ version: 'one' })).status).toBe(
      400,
    );
    expect((await api.http.get(`/api/v1/documents/${v1.id}/versions/9`).set(author)).status).toBe(404);
    expect((await api.http.get(`/api/v1/documents/${v1.id}/versions/0`).set(author)).status).toBe(400);
    expect((await api.http.get(`/api/v1/documents/${v1.id}/versions/1`).set(otherAgent)).status).toBe(404);
  });

  it('readers of a published document do not see its history (403)', async () => {
    const { id } = (await write()).body;
    await publish(id);
    expect((await api.http.get(`/api/v1/documents/${id}/versions`).set(reader)).status).toBe(403);
    expect((await api.http.get(`/api/v1/documents/${id}/versions/1`).set(reader)).status).toBe(403);
    expect((await api.http.post(`/api/v1/documents/${id}/revert`).set(reader).send({ version: 1 })).status).toBe(403);
  });

  it('publishes with a review date (six months, or given); a bare guide is not publishable', async () => {
    const { id } = (await write()).body;
    const res = await publish(id);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('published');
    const months = (Date.parse(res.body.reviewAt) - Date.parse(res.body.publishedAt)) / (30 * 24 * 3600 * 1000);
    expect(months).toBeGreaterThan(5.8);
    expect(months).toBeLessThan(6.2);
    const at = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
    const renewed = await publish(id, admin, { reviewAt: at });
    expect(renewed.body.reviewAt).toBe(at);
    const past = await publish(id, admin, { reviewAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].path).toBe('body.reviewAt');
    expect((await publish(id, admin, { reviewAt: 'tomorrow' })).status).toBe(400);

    const bare = await write({ type: 'guide', title: 'Empty guide' });
    const refused = await publish(bare.body.id);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('not_publishable');
    expect((await publish(randomUUID())).status).toBe(404);
  });

  it('DELETE archives: readers lose it, edits are refused, an editor may publish it again', async () => {
    const { id } = (await write()).body;
    await publish(id);
    expect((await api.http.delete(`/api/v1/documents/${id}`).set(reader)).status).toBe(403);
    const archived = await api.http.delete(`/api/v1/documents/${id}`).set(author);
    expect(archived.status).toBe(200);
    expect(archived.body.status).toBe('archived');
    expect(archived.body.archivedAt).not.toBeNull();
    expect((await api.http.delete(`/api/v1/documents/${id}`).set(author)).status).toBe(200);
    expect((await api.http.get(`/api/v1/documents/${id}`).set(reader)).status).toBe(404);
    const edit = await api.http.patch(`/api/v1/documents/${id}`).set(author).send({ title: 'x' });
    expect(edit.status).toBe(409);
    const again = await publish(id);
    expect(again.body).toMatchObject({ status: 'published', archivedAt: null });
  });

  it('GET /guides?errorCode= finds published guides by code, ignoring case', async () => {
    const published = (await guide(['0x800F081F', 'E-PRN-7'])).body;
    await publish(published.id);
    const draftOnly = (await guide(['0x800F081F'])).body;
    const other = (await guide(['E-OTHER'])).body;
    await publish(other.id);

    const found = await api.http.get('/api/v1/guides?errorCode=0x800f081f').set(reader);
    expect(found.status).toBe(200);
    const ids = found.body.data.map((d: { id: string }) => d.id);
    expect(ids).toEqual([published.id]);
    expect(ids).not.toContain(draftOnly.id);
    expect(found.body.data[0]).toMatchObject({ type: 'guide', errorCodes: ['0x800F081F', 'E-PRN-7'] });
    expect((await api.http.get('/api/v1/guides?errorCode=0x800F08').set(reader)).body.data).toEqual([]);
    const all = await api.http.get('/api/v1/guides?limit=1').set(reader);
    expect(all.body.data).toHaveLength(1);
    expect(all.body.nextCursor).toEqual(expect.any(String));
    expect((await api.http.get('/api/v1/guides?limit=1000').set(reader)).status).toBe(400);
    expect((await api.http.get('/api/v1/guides')).status).toBe(401);
  });

  it('documents every route in the OpenAPI document', async () => {
    const spec = await api.http.get('/openapi.json');
    expect(spec.status).toBe(200);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/documents',
        '/api/v1/documents/{id}',
        '/api/v1/documents/{id}/versions',
        '/api/v1/documents/{id}/versions/{n}',
        '/api/v1/documents/{id}/revert',
        '/api/v1/documents/{id}/publish',
        '/api/v1/documents/{id}/review',
        '/api/v1/documents/{id}/feedback',
        '/api/v1/documents/{id}/attachments',
        '/api/v1/documents/{id}/attachments/{attachmentId}',
        '/api/v1/guides',
        '/api/v1/categories',
        '/api/v1/tags',
        '/api/v1/questions',
        '/api/v1/questions/{id}',
        '/api/v1/questions/{id}/answers',
        '/api/v1/questions/{id}/votes',
        '/api/v1/answers/{id}/accept',
        '/api/v1/answers/{id}/votes',
        '/api/v1/auth/me',
      ]),
    );
    expect(spec.body.components.schemas).toHaveProperty('KnowledgeDocument');
  });
});
