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

/** What readers do with documents: views, feedback; and the files attached to documents. */
describe('knowledge documents: views, feedback and attachments', () => {
  let h: Harness;
  // Publication runs in the document lifecycle workflow: this file runs a worker on its own task queue.
  let stopWorker: (() => Promise<void>) | undefined;
  let api: ReturnType<typeof agent>;
  let author: Auth;
  let editor: Auth;
  let reader: Auth;
  let readerId: string;
  let other: Auth;

  beforeAll(async () => {
    h = await createHarness(knowledgeOverrides('engage'));
    await h.reset();
    stopWorker = await startWorker(h.infra);
    api = agent(createKnowledgeApp(h.infra));
    author = bearer(h.infra, (await buildUser({ roles: ['requester', 'agent'] })).id);
    editor = bearer(h.infra, (await buildUser({ roles: ['requester', 'knowledge_editor'] })).id);
    const r = await buildUser();
    readerId = r.id;
    reader = bearer(h.infra, r.id);
    other = bearer(h.infra, (await buildUser()).id);
  });

  afterAll(async () => {
    api.server.close();
    await cleanUpKnowledge(h.infra);
    await stopWorker?.();
    await h.close();
  });

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
});
