import {
  addMonths,
  applyEdit,
  canAccept,
  canAuthor,
  canEditDocument,
  canSeeDocument,
  canVote,
  checkBaseVersion,
  errorCodeKey,
  guideFieldErrors,
  nextVersion,
  normaliseErrorCodes,
  normaliseTags,
  planRevert,
  publishable,
  reviewDate,
  sameContent,
  transition,
  type DocumentContent,
  publishAction,
  type DocumentAction,
  type DocumentStatus,
  type KnowledgeActor,
} from './knowledge';

const author: KnowledgeActor = { id: 'author', roles: ['requester', 'agent'] };
const reader: KnowledgeActor = { id: 'reader', roles: ['requester'] };
const otherAgent: KnowledgeActor = { id: 'agent-2', roles: ['requester', 'agent'] };
const editor: KnowledgeActor = { id: 'editor', roles: ['knowledge_editor'] };
const admin: KnowledgeActor = { id: 'admin', roles: ['admin'] };
const doc = (status: DocumentStatus) => ({ authorId: 'author', status });

const content = (overrides: Partial<DocumentContent> = {}): DocumentContent => ({
  title: '印表機無法連線',
  body: '# Steps',
  summary: '',
  categoryId: null,
  tags: [],
  language: 'zh-TW',
  symptoms: [],
  errorCodes: [],
  causes: [],
  steps: [],
  ...overrides,
});

describe('who may see, write and publish', () => {
  it('readers see published documents only; authors their own; editors and admins all', () => {
    for (const status of ['draft', 'archived'] as const) {
      expect(canSeeDocument(reader, doc(status))).toBe(false);
      expect(canSeeDocument(otherAgent, doc(status))).toBe(false);
      expect(canSeeDocument(author, doc(status))).toBe(true);
      expect(canSeeDocument(editor, doc(status))).toBe(true);
      expect(canSeeDocument(admin, doc(status))).toBe(true);
    }
    expect(canSeeDocument(reader, doc('published'))).toBe(true);
  });

  it('agents, knowledge editors and admins author; requesters and approvers do not', () => {
    expect([author, editor, admin].map(canAuthor)).toEqual([true, true, true]);
    expect(canAuthor(reader)).toBe(false);
    expect(canAuthor({ roles: ['requester', 'approver'] })).toBe(false);
  });

  it('the author, editors and admins edit; another agent does not', () => {
    expect(canEditDocument(author, doc('published'))).toBe(true);
    expect(canEditDocument(editor, doc('draft'))).toBe(true);
    expect(canEditDocument(otherAgent, doc('published'))).toBe(false);
    expect(canEditDocument(reader, doc('published'))).toBe(false);
  });
});

describe('transition', () => {
  const to = (status: DocumentStatus, action: DocumentAction, actor: KnowledgeActor) => {
    const r = transition(doc(status), action, actor);
    return r.ok ? r.value.status : `${r.status} ${r.code}`;
  };

  it('draft -> published -> archived, and back to published', () => {
    expect(to('draft', 'publish', editor)).toBe('published');
    expect(to('published', 'archive', author)).toBe('archived');
    expect(to('archived', 'publish', admin)).toBe('published');
    expect(to('published', 'publish', editor)).toBe('published');
  });

  it('only editors and admins publish, even their own document', () => {
    expect(to('draft', 'publish', author)).toBe('403 forbidden');
    expect(to('draft', 'publish', reader)).toBe('403 forbidden');
  });

  it('edits keep the status; archived documents are read-only', () => {
    expect(to('draft', 'edit', author)).toBe('draft');
    expect(to('published', 'edit', editor)).toBe('published');
    expect(to('archived', 'edit', author)).toBe('409 invalid_transition');
    expect(to('published', 'edit', otherAgent)).toBe('403 forbidden');
  });

  it('the author who is not an editor submits for review; editors approve or reject', () => {
    expect(publishAction(author)).toBe('submit');
    expect(publishAction(editor)).toBe('publish');
    expect(to('draft', 'submit', author)).toBe('in_review');
    expect(to('in_review', 'submit', author)).toBe('in_review');
    expect(to('published', 'submit', author)).toBe('409 invalid_transition');
    expect(to('draft', 'submit', otherAgent)).toBe('403 forbidden');
    expect(to('in_review', 'approve', editor)).toBe('published');
    expect(to('in_review', 'reject', admin)).toBe('draft');
    expect(to('in_review', 'approve', author)).toBe('403 forbidden');
    expect(to('draft', 'approve', editor)).toBe('409 invalid_transition');
    expect(to('in_review', 'edit', author)).toBe('in_review');
    expect(to('in_review', 'archive', author)).toBe('archived');
  });

  it('archiving is idempotent and open to the author', () => {
    expect(to('archived', 'archive', editor)).toBe('archived');
    expect(to('draft', 'archive', author)).toBe('archived');
    expect(to('published', 'archive', reader)).toBe('403 forbidden');
  });
});

describe('content rules', () => {
  it('normalises tags and error codes', () => {
    expect(normaliseTags([' Printer ', 'printer', '網路  連線', ''])).toEqual(['printer', '網路 連線']);
    expect(normaliseErrorCodes(['0x80070005', ' 0X80070005', 'E-42 ', ''])).toEqual(['0x80070005', 'E-42']);
    expect(errorCodeKey(' 0X8007 ')).toBe('0x8007');
  });

  it('guide fields belong to guides', () => {
    expect(guideFieldErrors('guide', { steps: ['a'] })).toEqual([]);
    expect(guideFieldErrors('article', { steps: ['a'], errorCodes: [] }).map((e) => e.path)).toEqual([
      'body.errorCodes',
      'body.steps',
    ]);
    expect(guideFieldErrors('article', {})).toEqual([]);
  });

  it('a guide needs a step and a symptom or error code to be published', () => {
    expect(publishable('article', content()).ok).toBe(true);
    const bare = publishable('guide', content());
    expect(bare.ok ? null : bare.message).toMatch(/at least one step and a symptom or an error code/);
    expect(publishable('guide', content({ steps: ['restart'], errorCodes: ['E1'] })).ok).toBe(true);
    expect(publishable('guide', content({ steps: ['restart'], symptoms: ['offline'] })).ok).toBe(true);
  });

  it('applies an edit field by field and notices when nothing changed', () => {
    const before = content({ tags: ['a'] });
    const after = applyEdit(before, { title: 'New', tags: ['B', 'b'], summary: undefined });
    expect(after).toEqual({ ...before, title: 'New', tags: ['b'] });
    expect(sameContent(before, applyEdit(before, { title: before.title }))).toBe(true);
    expect(sameContent(before, after)).toBe(false);
    const fromRequest = { type: 'article', title: 'T', body: 'B' } as Partial<DocumentContent>;
    expect(Object.keys(applyEdit(before, fromRequest)).sort()).toEqual(Object.keys(before).sort());
  });
});

describe('versions', () => {
  it('numbers versions one after another', () => {
    expect(nextVersion(1)).toBe(2);
    expect(() => nextVersion(0)).toThrow(RangeError);
  });

  it('a revert is a new version carrying an old one', () => {
    expect(planRevert(2, 1)).toEqual({ ok: true, value: { version: 3, revertedFrom: 1 } });
    expect(planRevert(3, 3)).toMatchObject({ ok: false, code: 'already_current', status: 409 });
    expect(planRevert(3, 4)).toMatchObject({ ok: false, code: 'no_such_version' });
  });

  it('refuses an edit based on a stale version', () => {
    expect(checkBaseVersion(3).ok).toBe(true);
    expect(checkBaseVersion(3, 3).ok).toBe(true);
    expect(checkBaseVersion(3, 2)).toMatchObject({ ok: false, code: 'version_conflict', status: 409 });
  });
});

describe('review dates', () => {
  const now = new Date('2026-08-31T10:00:00Z');

  it('defaults to six months, clamped to the end of the month', () => {
    const r = reviewDate(now);
    expect(r.ok && r.value.toISOString()).toBe('2027-02-28T10:00:00.000Z');
    expect(addMonths(new Date('2027-01-15T00:00:00Z'), 6).toISOString()).toBe('2027-07-15T00:00:00.000Z');
  });

  it('takes a future date within five years', () => {
    const wanted = new Date('2027-01-01T00:00:00Z');
    expect(reviewDate(now, wanted)).toEqual({ ok: true, value: wanted });
    expect(reviewDate(now, new Date('2026-01-01T00:00:00Z'))).toMatchObject({ ok: false, status: 400 });
    expect(reviewDate(now, new Date('2032-01-01T00:00:00Z'))).toMatchObject({ ok: false, status: 400 });
  });
});

describe('Q&A', () => {
  it('nobody votes on their own post', () => {
    expect(canVote('a', 'b').ok).toBe(true);
    expect(canVote('a', 'a')).toMatchObject({ ok: false, status: 403 });
  });

  it('only the asker accepts, and only an answer to that question', () => {
    const question = { id: 'q1', authorId: 'asker' };
    expect(canAccept('asker', question, { questionId: 'q1' }).ok).toBe(true);
    expect(canAccept('someone', question, { questionId: 'q1' })).toMatchObject({ ok: false, status: 403 });
    expect(canAccept('asker', question, { questionId: 'q2' })).toMatchObject({ ok: false, status: 409 });
  });
});
