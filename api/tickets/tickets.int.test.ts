import { randomUUID } from 'node:crypto';
import { createTicketApp } from '../ticket-app';
import { agent, bearer, buildUser, createHarness, type Harness } from '../../test/harness';
import { Department } from '../../models';

/** Ticket endpoints that do not need a running workflow: drafts, visibility, edits, comments, attachments. */
describe('tickets: drafts, visibility, comments and attachments', () => {
  let h: Harness;
  let api: ReturnType<typeof agent>;
  let alice: { Authorization: string };
  let bob: { Authorization: string };
  let agentOfIt: { Authorization: string };
  let agentElsewhere: { Authorization: string };
  let admin: { Authorization: string };
  let aliceId: string;

  beforeAll(async () => {
    h = await createHarness();
    await h.reset();
    api = agent(createTicketApp(h.infra));
    const it = await Department.create({ name: 'IT', headId: null });
    const hr = await Department.create({ name: 'HR', headId: null });
    const a = await buildUser({ username: 'alice', departmentId: it.id });
    aliceId = a.id;
    alice = bearer(h.infra, a.id);
    bob = bearer(h.infra, (await buildUser({ username: 'bob', departmentId: it.id })).id);
    agentOfIt = bearer(
      h.infra,
      (await buildUser({ username: 'agent-it', roles: ['requester', 'agent'], departmentId: it.id })).id,
    );
    agentElsewhere = bearer(
      h.infra,
      (await buildUser({ username: 'agent-hr', roles: ['requester', 'agent'], departmentId: hr.id })).id,
    );
    admin = bearer(h.infra, (await buildUser({ username: 'root', roles: ['requester', 'admin'] })).id);
  });

  afterAll(async () => {
    api.server.close();
    await h.close();
  });

  const draft = (overrides: object = {}) =>
    api.http
      .post('/api/v1/tickets')
      .set(alice)
      .send({
        title: '印表機無法連線',
        description: 'The printer on 3F is offline',
        category: 'it-support',
        priority: 'high',
        ...overrides,
      });

  it('creates a draft with a number, defaults and a history entry', async () => {
    const res = await draft({ fields: { floor: 3 } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      title: '印表機無法連線',
      status: 'draft',
      priority: 'high',
      requesterId: aliceId,
      assigneeId: null,
      fields: { floor: 3 },
      approval: null,
      sla: null,
    });
    expect(res.body.number).toBeGreaterThanOrEqual(1000);
    const history = await api.http.get(`/api/v1/tickets/${res.body.id}/history`).set(alice);
    expect(history.body.data.map((e: { type: string }) => e.type)).toEqual(['created']);
  });

  it('keeps drafts private: others get 404, even agents of the department; admins see them', async () => {
    const { id } = (await draft()).body;
    expect((await api.http.get(`/api/v1/tickets/${id}`).set(alice)).status).toBe(200);
    for (const other of [bob, agentOfIt, agentElsewhere]) {
      const res = await api.http.get(`/api/v1/tickets/${id}`).set(other);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    expect((await api.http.get(`/api/v1/tickets/${id}`).set(admin)).status).toBe(200);
    const bobsList = await api.http.get('/api/v1/tickets').set(bob);
    expect(bobsList.body.data.map((t: { id: string }) => t.id)).not.toContain(id);
    const mine = await api.http.get('/api/v1/tickets?status=draft&q=3F').set(alice);
    expect(mine.body.data.map((t: { id: string }) => t.id)).toContain(id);
  });

  it('lets the requester edit a draft; others are refused', async () => {
    const { id } = (await draft()).body;
    const res = await api.http
      .patch(`/api/v1/tickets/${id}`)
      .set(alice)
      .send({ title: 'Printer offline', priority: 'urgent' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Printer offline', priority: 'urgent' });
    expect((await api.http.patch(`/api/v1/tickets/${id}`).set(bob).send({ title: 'mine now' })).status).toBe(404);
    expect((await api.http.patch(`/api/v1/tickets/${id}`).set(admin).send({ title: 'x' })).status).toBe(403);
    expect((await api.http.patch(`/api/v1/tickets/${id}`).set(alice).send({ status: 'approved' })).status).toBe(400);
  });

  it('cancels a draft', async () => {
    const { id } = (await draft()).body;
    const res = await api.http.post(`/api/v1/tickets/${id}/cancel`).set(alice);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect((await api.http.patch(`/api/v1/tickets/${id}`).set(alice).send({ title: 'again' })).status).toBe(409);
  });

  it('validates input: 400 problem+json with field paths; 401 without a token', async () => {
    const bad = await api.http
      .post('/api/v1/tickets')
      .set(alice)
      .send({ title: '', category: 'x', priority: 'asap', owner: 'me' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path)).toEqual(
      expect.arrayContaining(['body', 'body.title', 'body.priority']),
    );
    expect((await api.http.get('/api/v1/tickets?status=open').set(alice)).status).toBe(400);
    expect((await api.http.get('/api/v1/tickets/not-a-uuid').set(alice)).status).toBe(400);
    expect((await api.http.get(`/api/v1/tickets/${randomUUID()}`).set(alice)).status).toBe(404);
    expect((await api.http.get('/api/v1/tickets')).status).toBe(401);
    expect((await api.http.post('/api/v1/tickets').send({ title: 'x', category: 'y' })).status).toBe(401);
  });

  it('Idempotency-Key: same key and body replay the first answer; another body is 422', async () => {
    const key = randomUUID();
    const body = { title: 'Laptop', description: '', category: 'hardware' };
    const first = await api.http.post('/api/v1/tickets').set(alice).set('Idempotency-Key', key).send(body);
    const again = await api.http.post('/api/v1/tickets').set(alice).set('Idempotency-Key', key).send(body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await api.http
      .post('/api/v1/tickets')
      .set(alice)
      .set('Idempotency-Key', key)
      .send({ ...body, title: 'Phone' });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    // The key is the caller's own: Bob's identical request creates his own ticket.
    const bobs = await api.http.post('/api/v1/tickets').set(bob).set('Idempotency-Key', key).send(body);
    expect(bobs.status).toBe(201);
    expect(bobs.body.id).not.toBe(first.body.id);
    const list = await api.http.get('/api/v1/tickets?q=Laptop').set(alice);
    expect(list.body.data).toHaveLength(1);
  });

  it('comments: public and internal notes; the requester never sees internal ones', async () => {
    const { id } = (await draft()).body;
    const c = await api.http.post(`/api/v1/tickets/${id}/comments`).set(alice).send({ body: 'It blinks orange' });
    expect(c.status).toBe(201);
    expect(
      (await api.http.post(`/api/v1/tickets/${id}/comments`).set(alice).send({ body: 'x', internal: true })).status,
    ).toBe(403);
    await api.http
      .post(`/api/v1/tickets/${id}/comments`)
      .set(admin)
      .send({ body: 'Known issue #42', internal: true })
      .expect(201);
    const forAlice = await api.http.get(`/api/v1/tickets/${id}/comments`).set(alice);
    expect(forAlice.body.data.map((x: { body: string }) => x.body)).toEqual(['It blinks orange']);
    const forAdmin = await api.http.get(`/api/v1/tickets/${id}/comments`).set(admin);
    expect(forAdmin.body.data).toHaveLength(2);
    expect((await api.http.post(`/api/v1/tickets/${id}/comments`).set(bob).send({ body: 'hi' })).status).toBe(404);
    expect((await api.http.post(`/api/v1/tickets/${id}/comments`).set(alice).send({ body: '' })).status).toBe(400);
    const history = await api.http.get(`/api/v1/tickets/${id}/history`).set(alice);
    expect(history.body.data.map((e: { type: string }) => e.type)).toEqual(['created', 'commented', 'commented']);
  });

  it('attachments: upload to object storage, list, download through a signed URL; limits and types enforced', async () => {
    const { id } = (await draft()).body;
    const bytes = Buffer.from('%PDF-1.4 pretend pdf 中文');
    const up = await api.http
      .post(`/api/v1/tickets/${id}/attachments`)
      .set(alice)
      .attach('file', bytes, { filename: '錯誤截圖.pdf', contentType: 'application/pdf' });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ filename: '錯誤截圖.pdf', size: bytes.length, contentType: 'application/pdf' });
    const list = await api.http.get(`/api/v1/tickets/${id}/attachments`).set(alice);
    expect(list.body.data.map((a: { id: string }) => a.id)).toEqual([up.body.id]);
    const dl = await api.http.get(`/api/v1/attachments/${up.body.id}`).set(alice).redirects(0);
    expect(dl.status).toBe(302);
    const fetched = await fetch(dl.headers.location!);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await api.http.get(`/api/v1/attachments/${up.body.id}`).set(bob).redirects(0)).status).toBe(404);
    expect((await api.http.get(`/api/v1/attachments/${randomUUID()}`).set(alice).redirects(0)).status).toBe(404);

    const html = await api.http
      .post(`/api/v1/tickets/${id}/attachments`)
      .set(alice)
      .attach('file', Buffer.from('<script>'), { filename: 'x.html', contentType: 'text/html' });
    expect(html.status).toBe(415);
    const big = await api.http
      .post(`/api/v1/tickets/${id}/attachments`)
      .set(alice)
      .attach('file', Buffer.alloc(h.infra.config.UPLOAD_LIMIT + 1024), {
        filename: 'big.pdf',
        contentType: 'application/pdf',
      });
    expect(big.status).toBe(413);
    const none = await api.http.post(`/api/v1/tickets/${id}/attachments`).set(alice).field('note', 'no file');
    expect(none.status).toBe(400);
    const json = await api.http.post(`/api/v1/tickets/${id}/attachments`).set(alice).send({ file: 'x' });
    expect(json.status).toBe(415);
    expect(
      (
        await api.http
          .post(`/api/v1/tickets/${id}/attachments`)
          .set(bob)
          .attach('file', bytes, { filename: 'a.pdf', contentType: 'application/pdf' })
      ).status,
    ).toBe(404);
  });

  it('the inbox and notifications start empty and validate their queries', async () => {
    const inbox = await api.http.get('/api/v1/approvals?status=pending').set(alice);
    expect(inbox.status).toBe(200);
    expect(inbox.body).toEqual({ data: [], nextCursor: null });
    expect((await api.http.get('/api/v1/approvals?status=maybe').set(alice)).status).toBe(400);
    const notes = await api.http.get('/api/v1/notifications?unread=true').set(alice);
    expect(notes.body).toEqual({ data: [], nextCursor: null });
    expect((await api.http.post(`/api/v1/notifications/${randomUUID()}/read`).set(alice)).status).toBe(404);
    expect((await api.http.get('/api/v1/approvals')).status).toBe(401);
  });
});
