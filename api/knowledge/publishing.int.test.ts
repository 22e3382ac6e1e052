/**
 * Publishing through the document lifecycle workflow, end to end: the real Knowledge API, PostgreSQL,
 * OpenSearch and the Temporal dev server with a real worker on this file's own task queue and index prefix.
 */
import { randomUUID } from 'node:crypto';
import { knowledgeSuite, type Harness, type KnowledgeSuite, waitFor, type Auth } from '../../test/harness';

describe('publishing with review (lifecycle workflow)', () => {
  let suite: KnowledgeSuite | undefined;
  let h: Harness;
  let api: KnowledgeSuite['api'];
  let editor: Auth;
  let editorId: string;
  let author: Auth;
  let reader: Auth;

  beforeAll(async () => {
    suite = await knowledgeSuite('publish');
    ({ h, api } = suite);
    ({ id: editorId, auth: editor } = await suite.user({ roles: ['requester', 'knowledge_editor'] }));
    author = (await suite.user({ roles: ['requester', 'agent'] })).auth;
    reader = (await suite.user({ roles: ['requester'] })).auth;
  });

  afterAll(() => suite?.close());

  const write = async (title: string, who: Auth = author): Promise<string> => {
    const res = await api.http
      .post('/api/v1/documents')
      .set(who)
      .send({ type: 'article', title, body: `${title}: steps that work.` });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const publish = (id: string, who: Auth, body: object = {}) =>
    api.http.post(`/api/v1/documents/${id}/publish`).set(who).send(body);
  const review = (id: string, who: Auth, body: object) =>
    api.http.post(`/api/v1/documents/${id}/review`).set(who).send(body);
  const read = (id: string, who: Auth = editor) => api.http.get(`/api/v1/documents/${id}`).set(who);
  // Generous: the first indexing of the file also creates its index, and CI machines are busy.
  const searchable = (q: string, id: string) =>
    waitFor(
      `"${q}" to find ${id}`,
      async () => {
        const res = await api.http.get('/api/v1/search').query({ q }).set(reader);
        return (res.body.data as { id: string }[]).some((d) => d.id === id) ? true : undefined;
      },
      40_000,
    );

  it('an editor publishes at once (200) and the document becomes searchable', async () => {
    const id = await write('Keyboard layout switches by itself', editor);
    const res = await publish(id, editor);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'published', reviewComment: null, reviewRemindedAt: null });
    expect(res.body.reviewAt).toEqual(expect.any(String));
    await searchable('keyboard', id);
  });

  it('an agent author submits for review (202); editors see the queue; a reader cannot review; approval publishes', async () => {
    const id = await write('Scanner saves blank pages');
    const submitted = await publish(id, author);
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ id, status: 'in_review' });
    expect(submitted.body.submittedAt).toEqual(expect.any(String));
    // Submitting again while in review changes nothing.
    expect((await publish(id, author)).status).toBe(202);

    const queue = await api.http.get('/api/v1/documents?status=in_review').set(editor);
    expect(queue.status).toBe(200);
    expect((queue.body.data as { id: string }[]).map((d) => d.id)).toContain(id);
    // Readers do not see it at all; the author cannot review their own document.
    expect((await read(id, reader)).status).toBe(404);
    expect((await review(id, reader, { decision: 'approve' })).status).toBe(403);
    expect((await review(id, author, { decision: 'approve' })).status).toBe(403);
    expect((await review(id, editor, { decision: 'maybe' })).status).toBe(400);
    expect((await api.http.post(`/api/v1/documents/${id}/review`).send({ decision: 'approve' })).status).toBe(401);
    expect((await review(randomUUID(), editor, { decision: 'approve' })).status).toBe(404);

    const approved = await review(id, editor, { decision: 'approve', comment: 'Clear and correct.' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'published',
      reviewedBy: editorId,
      reviewComment: 'Clear and correct.',
    });
    await searchable('scanner', id);
    expect((await read(id, reader)).status).toBe(200);
    // Decided already: a second decision is a conflict.
    const again = await review(id, editor, { decision: 'reject' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invalid_transition');
  });

  it('a rejection sends the document back to draft with the comment; the author fixes it and resubmits', async () => {
    const id = await write('Monitor goes black');
    expect((await publish(id, author)).status).toBe(202);
    const rejected = await review(id, editor, { decision: 'reject', comment: 'Name the cable type.' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'draft', reviewComment: 'Name the cable type.' });
    expect((await read(id, reader)).status).toBe(404);

    const edit = await api.http.patch(`/api/v1/documents/${id}`).set(author).send({ body: 'Replace the HDMI cable.' });
    expect(edit.status).toBe(200);
    expect((await publish(id, author)).status).toBe(202);
    const approved = await review(id, editor, { decision: 'approve' });
    expect(approved.body.status).toBe('published');
  });

  it('reminds the owner when the review date comes; publishing again renews the date', async () => {
    const id = await write('Badge reader beeps twice', editor);
    const soon = new Date(Date.now() + 3000).toISOString();
    expect((await publish(id, editor, { reviewAt: soon })).status).toBe(200);
    const reminded = await waitFor('the review reminder', async () => {
      const res = await read(id);
      return res.body.reviewRemindedAt ? (res.body as { reviewRemindedAt: string }) : undefined;
    });
    expect(Date.parse(reminded.reviewRemindedAt)).toBeGreaterThanOrEqual(Date.parse(soon));

    const renewed = await publish(id, editor);
    expect(renewed.status).toBe(200);
    expect(renewed.body.reviewRemindedAt).toBeNull();
    expect(Date.parse(renewed.body.reviewAt)).toBeGreaterThan(Date.now() + 150 * 24 * 3600 * 1000);
  });

  it('archiving ends the workflow; publishing again starts a new one', async () => {
    const id = await write('Laptop dock not detected', editor);
    expect((await publish(id, editor)).status).toBe(200);
    const handle = h.infra.temporal.client.workflow.getHandle(`document-${id}`);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect((await api.http.delete(`/api/v1/documents/${id}`).set(editor)).status).toBe(200);
    await waitFor('the workflow to end', async () =>
      (await handle.describe()).status.name === 'COMPLETED' ? true : undefined,
    );
    const again = await publish(id, editor);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'published', archivedAt: null });
    expect((await h.infra.temporal.client.workflow.getHandle(`document-${id}`).describe()).status.name).toBe('RUNNING');
  });
});
