import { randomUUID } from 'node:crypto';
import { createKnowledgeApp } from '../knowledge-app';
import { agent, bearer, buildUser, createHarness, type Harness } from '../../test/harness';

type Auth = { Authorization: string };

/** Q&A: questions, answers, the asker accepting one, and changeable votes. */
describe('knowledge Q&A', () => {
  let h: Harness;
  let api: ReturnType<typeof agent>;
  let asker: Auth;
  let askerId: string;
  let helper: Auth;
  let another: Auth;

  beforeAll(async () => {
    h = await createHarness();
    await h.reset();
    api = agent(createKnowledgeApp(h.infra));
    const a = await buildUser();
    askerId = a.id;
    asker = bearer(h.infra, a.id);
    helper = bearer(h.infra, (await buildUser({ roles: ['requester', 'agent'] })).id);
    another = bearer(h.infra, (await buildUser()).id);
  });

  afterAll(async () => {
    api.server.close();
    await h.close();
  });

  const ask = (body: object = {}) =>
    api.http
      .post('/api/v1/questions')
      .set(asker)
      .send({ title: '如何連接會議室投影機?', body: 'HDMI 沒有畫面', tags: ['Projector'], ...body });

  it('asks, lists and reads a question; everyone signed in may', async () => {
    const res = await ask();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      title: '如何連接會議室投影機?',
      tags: ['projector'],
      authorId: askerId,
      acceptedAnswerId: null,
      score: 0,
      answerCount: 0,
      myVote: null,
      answers: [],
    });
    const list = await api.http.get('/api/v1/questions?tag=projector').set(another);
    expect(list.body.data.map((q: { id: string }) => q.id)).toContain(res.body.id);
    expect((await api.http.get('/api/v1/questions?tag=printer').set(another)).body.data).toEqual([]);
    expect((await api.http.get(`/api/v1/questions/${res.body.id}`).set(another)).status).toBe(200);
  });

  it('validates (400 with field paths), requires a token (401), 404 for unknown ids', async () => {
    const bad = await api.http.post('/api/v1/questions').set(asker).send({ title: '', tags: 'x' });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path)).toEqual(
      expect.arrayContaining(['body.title', 'body.body', 'body.tags']),
    );
    expect((await api.http.post('/api/v1/questions').send({ title: 'x', body: 'y' })).status).toBe(401);
    expect((await api.http.get('/api/v1/questions')).status).toBe(401);
    expect((await api.http.get(`/api/v1/questions/${randomUUID()}`).set(asker)).status).toBe(404);
    const q = (await ask()).body;
    expect((await api.http.post(`/api/v1/questions/${q.id}/answers`).set(helper).send({ body: '' })).status).toBe(400);
    expect(
      (await api.http.post(`/api/v1/questions/${randomUUID()}/answers`).set(helper).send({ body: 'x' })).status,
    ).toBe(404);
    expect((await api.http.post(`/api/v1/questions/${q.id}/votes`).set(helper).send({ value: 2 })).status).toBe(400);
    expect((await api.http.post(`/api/v1/answers/${randomUUID()}/accept`).set(asker)).status).toBe(404);
    expect((await api.http.post(`/api/v1/answers/${randomUUID()}/votes`).set(asker).send({ value: 1 })).status).toBe(
      404,
    );
    expect((await api.http.post(`/api/v1/answers/${randomUUID()}/accept`)).status).toBe(401);
  });

  it('only the asker accepts an answer; accepting another moves the mark', async () => {
    const q = (await ask()).body;
    const first = await api.http.post(`/api/v1/questions/${q.id}/answers`).set(helper).send({ body: '換一條 HDMI 線' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ questionId: q.id, score: 0, accepted: false, myVote: null });
    const second = (await api.http.post(`/api/v1/questions/${q.id}/answers`).set(another).send({ body: '按 Win+P' }))
      .body;

    const refused = await api.http.post(`/api/v1/answers/${first.body.id}/accept`).set(helper);
    expect(refused.status).toBe(403);
    const accepted = await api.http.post(`/api/v1/answers/${second.id}/accept`).set(asker);
    expect(accepted.status).toBe(200);
    expect(accepted.body.acceptedAnswerId).toBe(second.id);
    expect(accepted.body.answers[0]).toMatchObject({ id: second.id, accepted: true });
    const moved = await api.http.post(`/api/v1/answers/${first.body.id}/accept`).set(asker);
    expect(moved.body).toMatchObject({ acceptedAnswerId: first.body.id, answerCount: 2 });
    expect(moved.body.answers.map((a: { accepted: boolean }) => a.accepted)).toEqual([true, false]);
    expect(
      (await api.http.get('/api/v1/questions?answered=true').set(another)).body.data.map((x: { id: string }) => x.id),
    ).toContain(q.id);
    expect(
      (await api.http.get('/api/v1/questions?answered=false').set(another)).body.data.map((x: { id: string }) => x.id),
    ).not.toContain(q.id);
  });

  it('votes: one per person, changeable, never on your own post', async () => {
    const q = (await ask()).body;
    const up = await api.http.post(`/api/v1/questions/${q.id}/votes`).set(helper).send({ value: 1 });
    expect(up.status).toBe(200);
    expect(up.body).toEqual({ id: q.id, score: 1, myVote: 1 });
    expect((await api.http.post(`/api/v1/questions/${q.id}/votes`).set(helper).send({ value: 1 })).body.score).toBe(1);
    expect((await api.http.post(`/api/v1/questions/${q.id}/votes`).set(another).send({ value: 1 })).body.score).toBe(2);
    const changed = await api.http.post(`/api/v1/questions/${q.id}/votes`).set(helper).send({ value: -1 });
    expect(changed.body).toEqual({ id: q.id, score: 0, myVote: -1 });
    const own = await api.http.post(`/api/v1/questions/${q.id}/votes`).set(asker).send({ value: 1 });
    expect(own.status).toBe(403);

    const a = (await api.http.post(`/api/v1/questions/${q.id}/answers`).set(helper).send({ body: 'Restart it' })).body;
    expect((await api.http.post(`/api/v1/answers/${a.id}/votes`).set(helper).send({ value: 1 })).status).toBe(403);
    expect((await api.http.post(`/api/v1/answers/${a.id}/votes`).set(asker).send({ value: -1 })).body.score).toBe(-1);
    expect((await api.http.post(`/api/v1/answers/${a.id}/votes`).set(asker).send({ value: 1 })).body.score).toBe(1);

    const seen = await api.http.get(`/api/v1/questions/${q.id}`).set(asker);
    expect(seen.body).toMatchObject({ score: 0, myVote: null, answerCount: 1 });
    expect(seen.body.answers[0]).toMatchObject({ id: a.id, score: 1, myVote: 1 });
    const byHelper = await api.http.get(`/api/v1/questions/${q.id}`).set(helper);
    expect(byHelper.body.myVote).toBe(-1);
    const listed = await api.http.get('/api/v1/questions').set(another);
    expect(listed.body.data.find((x: { id: string }) => x.id === q.id)).toMatchObject({ score: 0, answerCount: 1 });
  });
});
