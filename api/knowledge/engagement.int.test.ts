import { randomUUID } from 'node:crypto';
import { bearer, buildUser, knowledgeSuite, type Harness, type KnowledgeSuite, type Auth } from '../../test/harness';

/** What readers do with documents: views, feedback; and the files attached to documents. */
describe('knowledge documents: views, feedback and attachments', () => {
  let suite: KnowledgeSuite | undefined;
  let h: Harness;
  let api: KnowledgeSuite['api'];
  let author: Auth;
  let editor: Auth;
  let admin: Auth;
  let reader: Auth;
  let readerId: string;
  let other: Auth;
  let otherId: string;

  beforeAll(async () => {
    suite = await knowledgeSuite('engage');
    ({ h, api } = suite);
    author = (await suite.user({ roles: ['requester', 'agent'] })).auth;
    editor = (await suite.user({ roles: ['requester', 'knowledge_editor'] })).auth;
    ({ id: readerId, auth: reader } = await suite.user());
    ({ id: otherId, auth: other } = await suite.user());
    admin = (await suite.user({ roles: ['requester', 'admin'] })).auth;
  });

  afterAll(() => suite?.close());

  const draft = async () =>
    (await api.http.post('/api/v1/documents').set(author).send({ type: 'article', title: 'Wi-Fi', body: 'Reconnect' }))
      .body as { id: string };
  const published = async () => {
    const { id } = await draft();
    await api.http.post(`/api/v1/documents/${id}/publish`).set(editor);
    return id;
  };

  it('counts views of published documents and shows feedback on the document', async () => {
    const id = await published();
    expect((await api.http.get(`/api/v1/documents/${id}`).set(reader)).body.views).toBe(1);
    expect((await api.http.get(`/api/v1/documents/${id}`).set(other)).body.views).toBe(2);

    const first = await api.http.post(`/api/v1/documents/${id}/feedback`).set(reader).send({ helpful: false });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ documentId: id, userId: readerId, helpful: false, comment: null });
    const changed = await api.http
      .post(`/api/v1/documents/${id}/feedback`)
      .set(reader)
      .send({ helpful: true, comment: '有幫助' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ helpful: true, comment: '有幫助' });
    await api.http.post(`/api/v1/documents/${id}/feedback`).set(other).send({ helpful: false });

    const doc = await api.http.get(`/api/v1/documents/${id}`).set(reader);
    expect(doc.body).toMatchObject({
      views: 3,
      feedback: { helpful: 1, notHelpful: 1 },
      myFeedback: { helpful: true, comment: '有幫助' },
    });
    const list = await api.http.get('/api/v1/documents').set(reader);
    expect(list.body.data.find((d: { id: string }) => d.id === id).views).toBe(3);
  });

  it('does not count views of drafts; feedback is for published documents', async () => {
    const { id } = await draft();
    await api.http.get(`/api/v1/documents/${id}`).set(author);
    expect((await api.http.get(`/api/v1/documents/${id}`).set(author)).body.views).toBe(0);
    const onDraft = await api.http.post(`/api/v1/documents/${id}/feedback`).set(author).send({ helpful: true });
    expect(onDraft.status).toBe(409);
    expect((await api.http.post(`/api/v1/documents/${id}/feedback`).set(reader).send({ helpful: true })).status).toBe(
      404,
    );
  });

  it('validates feedback: 400 with field paths, 401 without a token', async () => {
    const id = await published();
    const bad = await api.http.post(`/api/v1/documents/${id}/feedback`).set(reader).send({ helpful: 'yes', rating: 5 });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path)).toEqual(
      expect.arrayContaining(['body', 'body.helpful']),
    );
    expect((await api.http.post(`/api/v1/documents/${id}/feedback`).send({ helpful: true })).status).toBe(401);
    expect(
      (await api.http.post(`/api/v1/documents/${randomUUID()}/feedback`).set(reader).send({ helpful: true })).status,
    ).toBe(404);
  });

  it('attachments: stored in object storage under the document, listed, downloaded; limits enforced', async () => {
    const { id } = await draft();
    const bytes = Buffer.from('%PDF-1.4 手冊');
    const up = await api.http
      .post(`/api/v1/documents/${id}/attachments`)
      .set(author)
      .attach('file', bytes, { filename: '操作手冊.pdf', contentType: 'application/pdf' });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ documentId: id, filename: '操作手冊.pdf', size: bytes.length });
    const stored = await h.infra.storage.get(`documents/${id}/attachments/${up.body.id}`);
    const chunks: Buffer[] = [];
    for await (const chunk of stored) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);

    const list = await api.http.get(`/api/v1/documents/${id}/attachments`).set(author);
    expect(list.body.data.map((a: { id: string }) => a.id)).toEqual([up.body.id]);
    const dl = await api.http.get(`/api/v1/documents/${id}/attachments/${up.body.id}`).set(author).redirects(0);
    expect(dl.status).toBe(302);
    const fetched = await fetch(dl.headers.location!);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(bytes)).toBe(true);

    // Readers do not see the draft, so not its files either.
    expect((await api.http.get(`/api/v1/documents/${id}/attachments`).set(reader)).status).toBe(404);
    expect(
      (await api.http.get(`/api/v1/documents/${id}/attachments/${up.body.id}`).set(reader).redirects(0)).status,
    ).toBe(404);
    expect(
      (await api.http.get(`/api/v1/documents/${id}/attachments/${randomUUID()}`).set(author).redirects(0)).status,
    ).toBe(404);

    const html = await api.http
      .post(`/api/v1/documents/${id}/attachments`)
      .set(author)
      .attach('file', Buffer.from('<script>'), { filename: 'x.html', contentType: 'text/html' });
    expect(html.status).toBe(415);
    const big = await api.http
      .post(`/api/v1/documents/${id}/attachments`)
      .set(author)
      .attach('file', Buffer.alloc(h.infra.config.UPLOAD_LIMIT + 1024), {
        filename: 'big.pdf',
        contentType: 'application/pdf',
      });
    expect(big.status).toBe(413);
    expect((await api.http.post(`/api/v1/documents/${id}/attachments`).set(author).field('x', 'y')).status).toBe(400);
    expect((await api.http.post(`/api/v1/documents/${id}/attachments`).set(author).send({ file: 'x' })).status).toBe(
      415,
    );
    expect((await api.http.get(`/api/v1/documents/${id}/attachments`)).status).toBe(401);
  });

  it('readers may list the files of a published document but not upload (403)', async () => {
    const id = await published();
    expect((await api.http.get(`/api/v1/documents/${id}/attachments`).set(reader)).body).toEqual({ data: [] });
    const up = await api.http
      .post(`/api/v1/documents/${id}/attachments`)
      .set(reader)
      .attach('file', Buffer.from('hi'), { filename: 'a.txt', contentType: 'text/plain' });
    expect(up.status).toBe(403);
  });
  // ------------------------------------------------------------------------------ reading the feedback

  const feedbackOf = (id: string, who: Auth, query: Record<string, string> = {}) =>
    api.http.get(`/api/v1/documents/${id}/feedback`).query(query).set(who);
  const give = async (id: string, who: Auth, body: { helpful: boolean; comment?: string }) => {
    const res = await api.http.post(`/api/v1/documents/${id}/feedback`).set(who).send(body);
    expect([200, 201]).toContain(res.status);
  };
  const expectProblem = (res: { status: number; headers: Record<string, string> }, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  };

  it('the author, editors and admins read the feedback, newest first, filtered and paged', async () => {
    const id = await published();
    const third = await buildUser();
    await give(id, reader, { helpful: true, comment: '步驟很清楚' });
    await give(id, other, { helpful: false, comment: 'Step 2 fails on Windows 11' });
    await give(id, bearer(h.infra, third.id), { helpful: true });
    // The first reader changes their mind: the entry keeps its place and shows the change.
    await give(id, reader, { helpful: false, comment: '其實沒用' });

    const all = await feedbackOf(id, editor);
    expect(all.status).toBe(200);
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.data).toEqual([
      {
        id: expect.any(String),
        helpful: true,
        comment: null,
        userId: third.id,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
      expect.objectContaining({ helpful: false, comment: 'Step 2 fails on Windows 11', userId: otherId }),
      expect.objectContaining({ helpful: false, comment: '其實沒用', userId: readerId }),
    ]);
    const changed = all.body.data[2] as { createdAt: string; updatedAt: string };
    expect(Date.parse(changed.updatedAt)).toBeGreaterThan(Date.parse(changed.createdAt));

    for (const who of [author, admin]) expect((await feedbackOf(id, who)).body).toEqual(all.body);
    const unhelpful = await feedbackOf(id, author, { helpful: 'false' });
    expect(unhelpful.body.data.map((f: { userId: string }) => f.userId)).toEqual([otherId, readerId]);
    const helpful = await feedbackOf(id, author, { helpful: 'true' });
    expect(helpful.body.data.map((f: { userId: string }) => f.userId)).toEqual([third.id]);

    const page1 = await feedbackOf(id, editor, { limit: '2' });
    expect(page1.body.data).toEqual(all.body.data.slice(0, 2));
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await feedbackOf(id, editor, { limit: '2', cursor: page1.body.nextCursor as string });
    expect(page2.body).toEqual({ data: all.body.data.slice(2), nextCursor: null });
  });

  it("readers may not read others' feedback (403 on a published document, 404 on one they cannot see)", async () => {
    const id = await published();
    await give(id, other, { helpful: false, comment: 'private to the editors' });
    expectProblem(await feedbackOf(id, reader), 403);
    expectProblem(await feedbackOf(id, other), 403);
    const { id: draftId } = await draft();
    expectProblem(await feedbackOf(draftId, reader), 404);
    expectProblem(await feedbackOf(randomUUID(), editor), 404);
    // The author still reads the feedback of a document once it is archived; readers no longer see it at all.
    expect((await api.http.delete(`/api/v1/documents/${id}`).set(author)).status).toBe(200);
    expect((await feedbackOf(id, author)).body.data).toHaveLength(1);
    expectProblem(await feedbackOf(id, reader), 404);
  });

  it('validates the query (400) and needs a token (401)', async () => {
    const id = await published();
    const invalid: Record<string, string>[] = [
      { helpful: 'yes' },
      { limit: '0' },
      { limit: '101' },
      { cursor: 'nonsense' },
      { sort: 'asc' },
    ];
    for (const query of invalid) {
      expectProblem(await feedbackOf(id, editor, query), 400);
    }
    const bad = await feedbackOf(id, editor, { helpful: 'maybe', rating: '5' });
    expect((bad.body.errors as { path: string }[]).map((e) => e.path)).toEqual(
      expect.arrayContaining(['query', 'query.helpful']),
    );
    expectProblem(await api.http.get('/api/v1/documents/not-a-uuid/feedback').set(editor), 400);
    expectProblem(await api.http.get(`/api/v1/documents/${id}/feedback`), 401);
  });
});
