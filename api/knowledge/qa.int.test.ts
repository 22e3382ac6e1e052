import { randomUUID } from 'node:crypto';
import { createKnowledgeApp } from '../knowledge-app';
import { Answer, AnswerVote, QuestionVote } from '../../models';
import {
  agent,
  bearer,
  buildUser,
  createHarness,
  knowledgeSuite,
  type Harness,
  type KnowledgeSuite,
  waitFor,
  type Auth,
} from '../../test/harness';

/** A problem+json answer with this status (and code, when given). */
function expectProblem(
  res: { status: number; headers: Record<string, string>; body: { code?: string } },
  status: number,
  code?: string,
) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (code) expect(res.body.code).toBe(code);
}

/** Q&A: questions, answers, the asker accepting one, and changeable votes. */
describe('knowledge Q&A', () => {
  let h: Harness;
  let api: ReturnType<typeof agent>;
  let asker: Auth;
  let askerId: string;
  let helper: Auth;
  let another: Auth;
  let editor: Auth;
  let admin: Auth;

  beforeAll(async () => {
    h = await createHarness();
    await h.reset();
    api = agent(createKnowledgeApp(h.infra));
    const a = await buildUser();
    askerId = a.id;
    asker = bearer(h.infra, a.id);
    helper = bearer(h.infra, (await buildUser({ roles: ['requester', 'agent'] })).id);
    another = bearer(h.infra, (await buildUser()).id);
    editor = bearer(h.infra, (await buildUser({ roles: ['requester', 'knowledge_editor'] })).id);
    admin = bearer(h.infra, (await buildUser({ roles: ['admin'] })).id);
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
  const reply = async (questionId: string, who: Auth, body = 'Try another cable') => {
    const res = await api.http.post(`/api/v1/questions/${questionId}/answers`).set(who).send({ body });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const read = (questionId: string, who: Auth = asker) => api.http.get(`/api/v1/questions/${questionId}`).set(who);

  describe('editing questions', () => {
    it('the asker edits; fields left out keep their value; tags are normalised', async () => {
      const q = (await ask()).body;
      const res = await api.http
        .patch(`/api/v1/questions/${q.id}`)
        .set(asker)
        .send({ title: '投影機沒有畫面', tags: [' HDMI ', 'hdmi', 'Meeting Room'] });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: q.id,
        title: '投影機沒有畫面',
        body: 'HDMI 沒有畫面',
        tags: ['hdmi', 'meeting room'],
        authorId: askerId,
      });
      expect(Date.parse(res.body.updatedAt)).toBeGreaterThan(Date.parse(q.updatedAt));
      expect((await read(q.id, another)).body).toMatchObject({
        title: '投影機沒有畫面',
        tags: ['hdmi', 'meeting room'],
      });
      const cleared = await api.http.patch(`/api/v1/questions/${q.id}`).set(asker).send({ tags: [] });
      expect(cleared.body.tags).toEqual([]);
    });

    it('knowledge editors and admins moderate; others get 403', async () => {
      const q = (await ask()).body;
      const byEditor = await api.http.patch(`/api/v1/questions/${q.id}`).set(editor).send({ body: '已整理格式' });
      expect(byEditor.status).toBe(200);
      expect(byEditor.body).toMatchObject({ body: '已整理格式', authorId: askerId });
      expect((await api.http.patch(`/api/v1/questions/${q.id}`).set(admin).send({ title: 'Admin' })).status).toBe(200);
      for (const who of [helper, another]) {
        expectProblem(
          await api.http.patch(`/api/v1/questions/${q.id}`).set(who).send({ title: 'Hijacked' }),
          403,
          'forbidden',
        );
      }
      expect((await read(q.id)).body.title).toBe('Admin');
    });

    it('400 for an empty or invalid patch, 401 without a token, 404 for an unknown id', async () => {
      const q = (await ask()).body;
      const empty = await api.http.patch(`/api/v1/questions/${q.id}`).set(asker).send({});
      expectProblem(empty, 400, 'validation_failed');
      expect(empty.body.errors).toEqual([{ path: 'body', message: 'give at least one field to change' }]);
      const bad = await api.http
        .patch(`/api/v1/questions/${q.id}`)
        .set(asker)
        .send({ title: ' ', tags: 'x', views: 3 });
      expectProblem(bad, 400, 'validation_failed');
      expect((bad.body.errors as { path: string }[]).map((e) => e.path)).toEqual(
        expect.arrayContaining(['body.title', 'body.tags', 'body']),
      );
      expectProblem(await api.http.patch('/api/v1/questions/not-a-uuid').set(asker).send({ title: 'x' }), 400);
      expectProblem(await api.http.patch(`/api/v1/questions/${q.id}`).send({ title: 'x' }), 401);
      expectProblem(await api.http.patch(`/api/v1/questions/${randomUUID()}`).set(editor).send({ title: 'x' }), 404);
      expect((await read(q.id)).body.title).toBe('如何連接會議室投影機?');
    });
  });

  describe('editing answers', () => {
    it('the author edits; score, acceptance and the caller’s vote are kept', async () => {
      const q = (await ask()).body;
      const a = await reply(q.id, helper);
      await api.http.post(`/api/v1/answers/${a.id}/accept`).set(asker);
      expect((await api.http.post(`/api/v1/answers/${a.id}/votes`).set(asker).send({ value: 1 })).status).toBe(200);
      const res = await api.http
        .patch(`/api/v1/answers/${a.id}`)
        .set(helper)
        .send({ body: '換一條支援 4K 的 HDMI 線' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: a.id,
        questionId: q.id,
        body: '換一條支援 4K 的 HDMI 線',
        score: 1,
        accepted: true,
        myVote: null,
      });
      expect((await read(q.id)).body.answers[0]).toMatchObject({
        id: a.id,
        body: '換一條支援 4K 的 HDMI 線',
        myVote: 1,
      });
    });

    it('knowledge editors and admins moderate; others, the asker included, get 403', async () => {
      const q = (await ask()).body;
      const a = await reply(q.id, helper);
      expect((await api.http.patch(`/api/v1/answers/${a.id}`).set(editor).send({ body: 'Edited' })).status).toBe(200);
      expect((await api.http.patch(`/api/v1/answers/${a.id}`).set(admin).send({ body: 'By admin' })).status).toBe(200);
      for (const who of [asker, another]) {
        expectProblem(
          await api.http.patch(`/api/v1/answers/${a.id}`).set(who).send({ body: 'Mine now' }),
          403,
          'forbidden',
        );
      }
      expect((await read(q.id)).body.answers[0].body).toBe('By admin');
    });

    it('400 for an empty or invalid patch, 401 without a token, 404 for an unknown id', async () => {
      const q = (await ask()).body;
      const a = await reply(q.id, helper);
      expectProblem(await api.http.patch(`/api/v1/answers/${a.id}`).set(helper).send({}), 400, 'validation_failed');
      const blank = await api.http.patch(`/api/v1/answers/${a.id}`).set(helper).send({ body: '   ', score: 9 });
      expectProblem(blank, 400, 'validation_failed');
      expect((blank.body.errors as { path: string }[]).map((e) => e.path)).toEqual(
        expect.arrayContaining(['body.body', 'body']),
      );
      expectProblem(await api.http.patch(`/api/v1/answers/${a.id}`).send({ body: 'x' }), 401);
      expectProblem(await api.http.patch(`/api/v1/answers/${randomUUID()}`).set(helper).send({ body: 'x' }), 404);
    });
  });

  describe('deleting answers', () => {
    it('the author deletes (204): the answer and its votes are gone', async () => {
      const q = (await ask()).body;
      const a = await reply(q.id, helper);
      const kept = await reply(q.id, another, 'Keep me');
      await api.http.post(`/api/v1/answers/${a.id}/votes`).set(asker).send({ value: 1 });
      expectProblem(await api.http.delete(`/api/v1/answers/${a.id}`).set(another), 403, 'forbidden');
      expectProblem(await api.http.delete(`/api/v1/answers/${a.id}`).set(asker), 403, 'forbidden');
      const res = await api.http.delete(`/api/v1/answers/${a.id}`).set(helper);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      const seen = (await read(q.id)).body;
      expect(seen.answerCount).toBe(1);
      expect(seen.answers.map((x: { id: string }) => x.id)).toEqual([kept.id]);
      expect(await AnswerVote.count({ where: { answerId: a.id } })).toBe(0);
      expectProblem(await api.http.delete(`/api/v1/answers/${a.id}`).set(helper), 404);
      expectProblem(await api.http.post(`/api/v1/answers/${a.id}/votes`).set(asker).send({ value: 1 }), 404);
    });

    it('deleting the accepted answer clears the acceptance', async () => {
      const q = (await ask()).body;
      const a = await reply(q.id, helper);
      expect((await api.http.post(`/api/v1/answers/${a.id}/accept`).set(asker)).body.acceptedAnswerId).toBe(a.id);
      const before = (await read(q.id)).body;
      expect((await api.http.delete(`/api/v1/answers/${a.id}`).set(editor)).status).toBe(204);
      const after = (await read(q.id)).body;
      expect(after).toMatchObject({ acceptedAnswerId: null, answerCount: 0, answers: [] });
      // The question's search document is versioned by its newest change: deleting an answer moves it forward.
      expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
      const unanswered = await api.http.get('/api/v1/questions?answered=false').set(another);
      expect(unanswered.body.data.map((x: { id: string }) => x.id)).toContain(q.id);
    });

    it('admins delete anyone’s answer; 400 bad id, 401 without a token, 404 unknown', async () => {
      const q = (await ask()).body;
      const a = await reply(q.id, helper);
      expectProblem(await api.http.delete('/api/v1/answers/nope').set(admin), 400, 'validation_failed');
      expectProblem(await api.http.delete(`/api/v1/answers/${a.id}`), 401);
      expectProblem(await api.http.delete(`/api/v1/answers/${randomUUID()}`).set(admin), 404, 'not_found');
      expect((await api.http.delete(`/api/v1/answers/${a.id}`).set(admin)).status).toBe(204);
      expect((await read(q.id)).body.answers).toEqual([]);
    });
  });

  describe('deleting questions', () => {
    it('the asker deletes a question nobody else answered, their own answers with it', async () => {
      const q = (await ask()).body;
      const own = await reply(q.id, asker, 'Found it myself: Win+P');
      await api.http.post(`/api/v1/questions/${q.id}/votes`).set(helper).send({ value: 1 });
      expect((await api.http.delete(`/api/v1/questions/${q.id}`).set(asker)).status).toBe(204);
      expectProblem(await read(q.id), 404, 'not_found');
      expect(await Answer.count({ where: { id: own.id } })).toBe(0);
      expect(await QuestionVote.count({ where: { questionId: q.id } })).toBe(0);
      const listed = await api.http.get('/api/v1/questions').set(another);
      expect(listed.body.data.map((x: { id: string }) => x.id)).not.toContain(q.id);
      expectProblem(await api.http.delete(`/api/v1/questions/${q.id}`).set(asker), 404);
    });

    it('once others answered, the asker gets 409 and a knowledge editor deletes it with its answers and votes', async () => {
      const q = (await ask()).body;
      const a = await reply(q.id, helper);
      const b = await reply(q.id, another, 'Press Win+P');
      await api.http.post(`/api/v1/answers/${b.id}/accept`).set(asker);
      await api.http.post(`/api/v1/answers/${a.id}/votes`).set(another).send({ value: 1 });
      await api.http.post(`/api/v1/questions/${q.id}/votes`).set(helper).send({ value: -1 });

      expectProblem(await api.http.delete(`/api/v1/questions/${q.id}`).set(asker), 409, 'has_answers');
      expectProblem(await api.http.delete(`/api/v1/questions/${q.id}`).set(helper), 403, 'forbidden');
      expectProblem(await api.http.delete(`/api/v1/questions/${q.id}`).set(another), 403, 'forbidden');
      expect((await read(q.id)).body.answerCount).toBe(2);

      expect((await api.http.delete(`/api/v1/questions/${q.id}`).set(editor)).status).toBe(204);
      expectProblem(await read(q.id), 404);
      expect(await Answer.count({ where: { questionId: q.id } })).toBe(0);
      expect(await AnswerVote.count({ where: { answerId: [a.id, b.id] } })).toBe(0);
      expect(await QuestionVote.count({ where: { questionId: q.id } })).toBe(0);
      expectProblem(await api.http.patch(`/api/v1/answers/${a.id}`).set(helper).send({ body: 'x' }), 404);
      expectProblem(await api.http.post(`/api/v1/questions/${q.id}/answers`).set(helper).send({ body: 'x' }), 404);
    });

    it('admins delete too; 400 bad id, 401 without a token, 404 unknown', async () => {
      const q = (await ask()).body;
      await reply(q.id, helper);
      expectProblem(await api.http.delete('/api/v1/questions/123').set(admin), 400, 'validation_failed');
      expectProblem(await api.http.delete(`/api/v1/questions/${q.id}`), 401);
      expectProblem(await api.http.delete(`/api/v1/questions/${randomUUID()}`).set(admin), 404, 'not_found');
      expect((await api.http.delete(`/api/v1/questions/${q.id}`).set(admin)).status).toBe(204);
      expectProblem(await read(q.id), 404);
    });
  });

  describe('withdrawing votes', () => {
    it('on a question: the score stops counting it; withdrawing again, or without a vote, is 204 too', async () => {
      const q = (await ask()).body;
      await api.http.post(`/api/v1/questions/${q.id}/votes`).set(helper).send({ value: 1 });
      await api.http.post(`/api/v1/questions/${q.id}/votes`).set(another).send({ value: 1 });
      expect((await read(q.id)).body.score).toBe(2);
      const res = await api.http.delete(`/api/v1/questions/${q.id}/votes`).set(helper);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect((await read(q.id, helper)).body).toMatchObject({ score: 1, myVote: null });
      expect((await read(q.id, another)).body).toMatchObject({ score: 1, myVote: 1 });
      expect((await api.http.delete(`/api/v1/questions/${q.id}/votes`).set(helper)).status).toBe(204);
      expect((await api.http.delete(`/api/v1/questions/${q.id}/votes`).set(editor)).status).toBe(204);
      const listed = await api.http.get('/api/v1/questions').set(helper);
      expect(listed.body.data.find((x: { id: string }) => x.id === q.id).score).toBe(1);
      // Voting again after withdrawing starts over.
      const again = await api.http.post(`/api/v1/questions/${q.id}/votes`).set(helper).send({ value: -1 });
      expect(again.body).toEqual({ id: q.id, score: 0, myVote: -1 });
    });

    it('on an answer: the score stops counting it', async () => {
      const q = (await ask()).body;
      const a = await reply(q.id, helper);
      await api.http.post(`/api/v1/answers/${a.id}/votes`).set(asker).send({ value: -1 });
      await api.http.post(`/api/v1/answers/${a.id}/votes`).set(another).send({ value: -1 });
      expect((await read(q.id)).body.answers[0]).toMatchObject({ score: -2, myVote: -1 });
      expect((await api.http.delete(`/api/v1/answers/${a.id}/votes`).set(asker)).status).toBe(204);
      expect((await read(q.id)).body.answers[0]).toMatchObject({ score: -1, myVote: null });
      expect((await api.http.delete(`/api/v1/answers/${a.id}/votes`).set(asker)).status).toBe(204);
      expect((await read(q.id, another)).body.answers[0]).toMatchObject({ score: -1, myVote: -1 });
    });

    it('400 bad id, 401 without a token, 404 unknown', async () => {
      expectProblem(await api.http.delete('/api/v1/questions/x/votes').set(helper), 400, 'validation_failed');
      expectProblem(await api.http.delete('/api/v1/answers/x/votes').set(helper), 400, 'validation_failed');
      expectProblem(await api.http.delete(`/api/v1/questions/${randomUUID()}/votes`), 401);
      expectProblem(await api.http.delete(`/api/v1/answers/${randomUUID()}/votes`), 401);
      expectProblem(await api.http.delete(`/api/v1/questions/${randomUUID()}/votes`).set(helper), 404, 'not_found');
      expectProblem(await api.http.delete(`/api/v1/answers/${randomUUID()}/votes`).set(helper), 404, 'not_found');
    });
  });

  describe('withdrawing an acceptance', () => {
    it('the asker withdraws it: the question shows no accepted answer; again is harmless', async () => {
      const q = (await ask()).body;
      const a = await reply(q.id, helper);
      const b = await reply(q.id, another, 'Press Win+P');
      await api.http.post(`/api/v1/answers/${a.id}/accept`).set(asker);
      // Withdrawing from an answer that is not the accepted one leaves the accepted one alone.
      const other = await api.http.delete(`/api/v1/answers/${b.id}/accept`).set(asker);
      expect(other.status).toBe(200);
      expect(other.body.acceptedAnswerId).toBe(a.id);
      const res = await api.http.delete(`/api/v1/answers/${a.id}/accept`).set(asker);
      expect(res.status).toBe(200);
      expect(res.body.acceptedAnswerId).toBeNull();
      expect(res.body.answers.map((x: { accepted: boolean }) => x.accepted)).toEqual([false, false]);
      expect((await read(q.id, another)).body.acceptedAnswerId).toBeNull();
      const again = await api.http.delete(`/api/v1/answers/${a.id}/accept`).set(asker);
      expect(again.status).toBe(200);
      expect(again.body.acceptedAnswerId).toBeNull();
      const unanswered = await api.http.get('/api/v1/questions?answered=false').set(another);
      expect(unanswered.body.data.map((x: { id: string }) => x.id)).toContain(q.id);
    });

    it('only the asker (403 for the answer’s author and editors); 400 bad id, 401, 404', async () => {
      const q = (await ask()).body;
      const a = await reply(q.id, helper);
      await api.http.post(`/api/v1/answers/${a.id}/accept`).set(asker);
      expectProblem(await api.http.delete(`/api/v1/answers/${a.id}/accept`).set(helper), 403, 'forbidden');
      expectProblem(await api.http.delete(`/api/v1/answers/${a.id}/accept`).set(editor), 403, 'forbidden');
      expectProblem(await api.http.delete('/api/v1/answers/x/accept').set(asker), 400, 'validation_failed');
      expectProblem(await api.http.delete(`/api/v1/answers/${a.id}/accept`), 401);
      expectProblem(await api.http.delete(`/api/v1/answers/${randomUUID()}/accept`).set(asker), 404, 'not_found');
      expect((await read(q.id)).body.acceptedAnswerId).toBe(a.id);
    });
  });
});

/**
 * Search follows Q&A deletions: a real worker on this describe's own task queue and indices runs the indexing
 * workflows the API signals after each write.
 */
describe('knowledge Q&A in search', () => {
  let suite: KnowledgeSuite | undefined;
  let api: KnowledgeSuite['api'];
  let asker: Auth;
  let helper: Auth;

  beforeAll(async () => {
    suite = await knowledgeSuite('qa');
    api = suite.api;
    asker = (await suite.user()).auth;
    helper = (await suite.user({ roles: ['requester', 'agent'] })).auth;
  });

  afterAll(() => suite?.close());

  const found = async (q: string): Promise<string[]> => {
    const res = await api.http.get('/api/v1/search').query({ q, type: 'question' }).set(helper);
    expect(res.status).toBe(200);
    return (res.body.data as { id: string }[]).map((d) => d.id);
  };
  const until = (what: string, q: string, ok: (ids: string[]) => boolean) =>
    waitFor(what, async () => (ok(await found(q)) ? true : undefined));

  it('a deleted answer, then a deleted question, leave the search results', async () => {
    const q = await api.http
      .post('/api/v1/questions')
      .set(asker)
      .send({ title: '碎紙機卡住了', body: '碎紙機一直發出聲音' });
    expect(q.status).toBe(201);
    const id = q.body.id as string;
    const a = await api.http.post(`/api/v1/questions/${id}/answers`).set(helper).send({ body: '倒掉紙屑桶再重開' });
    expect(a.status).toBe(201);
    await until('the answer in the index', '紙屑桶', (ids) => ids.includes(id));

    // The newest change was the answer: deleting it must still make the engine drop its text.
    expect((await api.http.delete(`/api/v1/answers/${a.body.id}`).set(helper)).status).toBe(204);
    await until('the deleted answer to leave the index', '紙屑桶', (ids) => !ids.includes(id));
    expect(await found('碎紙機')).toContain(id);

    expect((await api.http.delete(`/api/v1/questions/${id}`).set(asker)).status).toBe(204);
    await until('the deleted question to leave the index', '碎紙機', (ids) => !ids.includes(id));
  });
});
