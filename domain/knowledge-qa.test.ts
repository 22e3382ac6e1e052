import { canDeleteAnswer, canDeleteQuestion, canEditPost, canUnaccept, type KnowledgeActor } from './knowledge';

const asker: KnowledgeActor = { id: 'asker', roles: ['requester'] };
const stranger: KnowledgeActor = { id: 'stranger', roles: ['requester', 'agent'] };
const editor: KnowledgeActor = { id: 'editor', roles: ['requester', 'knowledge_editor'] };
const admin: KnowledgeActor = { id: 'admin', roles: ['admin'] };
const post = { authorId: 'asker' };

describe('Q&A moderation rules', () => {
  it('the author, knowledge editors and admins edit a post; nobody else', () => {
    for (const actor of [asker, editor, admin]) expect(canEditPost(actor, post)).toEqual({ ok: true, value: true });
    expect(canEditPost(stranger, post)).toMatchObject({ ok: false, code: 'forbidden', status: 403 });
  });

  it('the author, knowledge editors and admins delete an answer; nobody else', () => {
    for (const actor of [asker, editor, admin]) expect(canDeleteAnswer(actor, post).ok).toBe(true);
    expect(canDeleteAnswer(stranger, post)).toMatchObject({ ok: false, code: 'forbidden', status: 403 });
  });

  it('the asker deletes a question only while nobody else has answered it', () => {
    expect(canDeleteQuestion(asker, post, 0).ok).toBe(true);
    expect(canDeleteQuestion(asker, post, 1)).toMatchObject({ ok: false, code: 'has_answers', status: 409 });
  });

  it('knowledge editors and admins delete any question, answered or not; strangers none', () => {
    for (const actor of [editor, admin]) {
      expect(canDeleteQuestion(actor, post, 0).ok).toBe(true);
      expect(canDeleteQuestion(actor, post, 3).ok).toBe(true);
    }
    expect(canDeleteQuestion(stranger, post, 0)).toMatchObject({ ok: false, code: 'forbidden', status: 403 });
    expect(canDeleteQuestion(stranger, post, 2)).toMatchObject({ ok: false, code: 'forbidden', status: 403 });
  });

  it('only the asker withdraws an acceptance, and only on an answer to that question', () => {
    const question = { id: 'q1', authorId: 'asker' };
    expect(canUnaccept('asker', question, { questionId: 'q1' }).ok).toBe(true);
    expect(canUnaccept('editor', question, { questionId: 'q1' })).toMatchObject({ ok: false, status: 403 });
    expect(canUnaccept('asker', question, { questionId: 'q2' })).toMatchObject({ ok: false, status: 409 });
  });
});
