/**
 * Rules of the knowledge base, with no I/O: the document life cycle, who may see, edit and publish a
 * document, how versions are numbered and what a revert means, and the normal forms of tags and error codes.
 *
 *   draft --publish (editor)--> published --archive--> archived
 *     |                           ^   |                   |
 *     +--submit (author)--+       |   +--publish (renews  |
 *                         v       |       the review)     |
 *                     in_review --approve (editor)        |
 *                         |                               |
 *                         +--reject (editor)--> draft     +--publish / submit (brought back)
 *
 * Publishing runs through the document's lifecycle workflow (`workflows/knowledge/lifecycle.ts`): an editor
 * publishes at once; an author who is not an editor submits for review, and an editor approves or rejects.
 * Every status change goes through `transition`, in the API (to answer at once) and in the activities (which
 * re-check against the row they lock). Editing never changes the status.
 */
import type { Role } from './roles';
import { type Outcome, accept, refuse } from './refusal';

export const DOCUMENT_TYPES = ['article', 'guide'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_STATUSES = ['draft', 'in_review', 'published', 'archived'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const DOCUMENT_ACTIONS = ['edit', 'publish', 'submit', 'approve', 'reject', 'archive'] as const;
export type DocumentAction = (typeof DOCUMENT_ACTIONS)[number];

/** Roles that may write documents. Requesters and approvers read; agents write what they learn on tickets. */
export const AUTHOR_ROLES: readonly Role[] = ['knowledge_editor', 'admin', 'agent'];
/** Roles that see every document and publish: the knowledge base's curators. */
export const EDITOR_ROLES: readonly Role[] = ['knowledge_editor', 'admin'];

/** How long a published document stays current before it is due for review, when the publisher gives no date. */
export const DEFAULT_REVIEW_MONTHS = 6;
/** A review date further out than this is a typo, not a plan. */
export const MAX_REVIEW_YEARS = 5;

/** The caller as the rules see them. */
export interface KnowledgeActor {
  id: string;
  roles: readonly Role[];
}

/** What the rules need to know about a document. */
export interface DocumentFacts {
  authorId: string;
  status: DocumentStatus;
}

export const isEditor = (actor: Pick<KnowledgeActor, 'roles'>): boolean =>
  EDITOR_ROLES.some((r) => actor.roles.includes(r));

export const canAuthor = (actor: Pick<KnowledgeActor, 'roles'>): boolean =>
  AUTHOR_ROLES.some((r) => actor.roles.includes(r));

/**
 * Readers see published documents; editors and admins see everything; authors see their own documents in
 * every status. Whoever may not see a document is told it does not exist (404).
 */
export function canSeeDocument(actor: KnowledgeActor, doc: DocumentFacts): boolean {
  return doc.status === 'published' || isEditor(actor) || doc.authorId === actor.id;
}

/** The author and the curators change a document's content (and see its history). */
export function canEditDocument(actor: KnowledgeActor, doc: DocumentFacts): boolean {
  return isEditor(actor) || doc.authorId === actor.id;
}

interface TransitionRule {
  from: readonly DocumentStatus[];
  /** `null`: the status stays as it is. */
  to: DocumentStatus | null;
  /** `author` is the document's author; the rest are roles. */
  by: readonly ('author' | 'knowledge_editor' | 'admin')[];
  description: string;
}

export const DOCUMENT_TRANSITIONS: Readonly<Record<DocumentAction, TransitionRule>> = {
  edit: {
    from: ['draft', 'in_review', 'published'],
    to: null,
    by: ['author', 'knowledge_editor', 'admin'],
    description: 'A new version of the content (also a revert). Archived documents are read-only.',
  },
  publish: {
    from: ['draft', 'in_review', 'published', 'archived'],
    to: 'published',
    by: ['knowledge_editor', 'admin'],
    description: 'Readers see the document; publishing again renews its review date. Also settles a review.',
  },
  submit: {
    // Submitting again while in review is harmless (a retried request).
    from: ['draft', 'in_review', 'archived'],
    to: 'in_review',
    by: ['author'],
    description: 'An author who is not an editor asks for publication; an editor reviews it.',
  },
  approve: {
    from: ['in_review'],
    to: 'published',
    by: ['knowledge_editor', 'admin'],
    description: 'The review is approved: the document is published.',
  },
  reject: {
    from: ['in_review'],
    to: 'draft',
    by: ['knowledge_editor', 'admin'],
    description: "The review is rejected: back to draft, with the reviewer's comment.",
  },
  archive: {
    from: ['draft', 'in_review', 'published', 'archived'],
    to: 'archived',
    by: ['author', 'knowledge_editor', 'admin'],
    description: 'Withdrawn from readers; kept with its versions. Archiving twice changes nothing.',
  },
};

const PAST: Record<DocumentAction, string> = {
  edit: 'edited',
  publish: 'published',
  submit: 'submitted for review',
  approve: 'approved',
  reject: 'rejected',
  archive: 'archived',
};

/**
 * What `POST /documents/:id/publish` does for this caller: editors publish at once; the author who is not an
 * editor submits the document for review.
 */
export const publishAction = (actor: Pick<KnowledgeActor, 'roles'>): 'publish' | 'submit' =>
  isEditor(actor) ? 'publish' : 'submit';

export type ReviewDecision = 'approve' | 'reject';

export type DocumentRefusalCode = 'forbidden' | 'invalid_transition';

/**
 * The status after `action`, or a refusal: `forbidden` (403) when the actor has no say, `invalid_transition`
 * (409) when they have but not in this status. Call it only for documents the actor may see.
 */
export function transition(
  doc: DocumentFacts,
  action: DocumentAction,
  actor: KnowledgeActor,
): Outcome<{ status: DocumentStatus }, DocumentRefusalCode> {
  const rule = DOCUMENT_TRANSITIONS[action];
  const parties = [...actor.roles, ...(doc.authorId === actor.id ? (['author'] as const) : [])];
  if (!rule.by.some((p) => (parties as string[]).includes(p))) {
    const who = !rule.by.includes('author')
      ? 'Only knowledge editors and admins'
      : rule.by.length === 1
        ? 'Only its author'
        : 'Only its author, editors and admins';
    return refuse('forbidden', 403, `${who} may ${action} this document.`);
  }
  if (!rule.from.includes(doc.status)) {
    return refuse('invalid_transition', 409, `A ${doc.status} document cannot be ${PAST[action]}.`);
  }
  return accept({ status: rule.to ?? doc.status });
}

/** The content of one version; every version stores all of it, so any version can be read or restored alone. */
export interface DocumentContent {
  title: string;
  body: string;
  summary: string;
  categoryId: string | null;
  tags: string[];
  language: string;
  /** Troubleshooting-guide fields; empty lists for articles. */
  symptoms: string[];
  errorCodes: string[];
  causes: string[];
  steps: string[];
}

export const GUIDE_FIELDS = ['symptoms', 'errorCodes', 'causes', 'steps'] as const;
export const CONTENT_FIELDS = [
  'title',
  'body',
  'summary',
  'categoryId',
  'tags',
  'language',
  ...GUIDE_FIELDS,
] as const satisfies readonly (keyof DocumentContent)[];

/** Lower-case, trimmed, inner whitespace collapsed, duplicates dropped (first one wins), order kept. */
export function normaliseTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const t of tags) {
    const tag = t.trim().replace(/\s+/g, ' ').toLowerCase();
    if (tag !== '') seen.add(tag);
  }
  return [...seen];
}

/** How an error code is compared: `0x80070005`, ` 0X80070005 ` and `0x80070005` are one code. */
export const errorCodeKey = (code: string): string => code.trim().toLowerCase();

/** Trimmed, duplicates (case-insensitive) dropped keeping the first spelling. */
export function normaliseErrorCodes(codes: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const c of codes) {
    const code = c.trim();
    if (code !== '' && !seen.has(errorCodeKey(code))) seen.set(errorCodeKey(code), code);
  }
  return [...seen.values()];
}

/** Guide fields belong to guides: an article carrying one is a client mistake (field paths for the 400). */
export function guideFieldErrors(
  type: DocumentType,
  input: Partial<Record<(typeof GUIDE_FIELDS)[number], unknown>>,
  where = 'body',
): { path: string; message: string }[] {
  if (type === 'guide') return [];
  return GUIDE_FIELDS.filter((f) => input[f] !== undefined).map((f) => ({
    path: `${where}.${f}`,
    message: 'only troubleshooting guides (type "guide") carry this field',
  }));
}

/** A guide is published only when a reader can act on it: at least one step, and a symptom or an error code. */
export function publishable(type: DocumentType, content: DocumentContent): Outcome<true, 'not_publishable'> {
  if (type !== 'guide') return accept(true);
  const missing: string[] = [];
  if (content.steps.length === 0) missing.push('at least one step');
  if (content.symptoms.length === 0 && content.errorCodes.length === 0) missing.push('a symptom or an error code');
  if (missing.length > 0) {
    return refuse('not_publishable', 409, `A troubleshooting guide needs ${missing.join(' and ')} to be published.`);
  }
  return accept(true);
}

/**
 * The review date of a publication: the one asked for (which must be in the future and within
 * {@link MAX_REVIEW_YEARS}), else {@link DEFAULT_REVIEW_MONTHS} months after `now`.
 */
export function reviewDate(now: Date, requested?: Date): Outcome<Date, 'invalid_review_date'> {
  if (requested) {
    const limit = addMonths(now, MAX_REVIEW_YEARS * 12);
    if (requested.getTime() <= now.getTime())
      return refuse('invalid_review_date', 400, 'reviewAt must be in the future.');
    if (requested.getTime() > limit.getTime())
      return refuse('invalid_review_date', 400, `reviewAt must be within ${MAX_REVIEW_YEARS} years.`);
    return accept(requested);
  }
  return accept(addMonths(now, DEFAULT_REVIEW_MONTHS));
}

/** Calendar months in UTC, clamped to the end of a shorter month (31 Aug + 6 months = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

/** Applies an edit to the current content; fields left out keep their value. */
export function applyEdit(current: DocumentContent, changes: Partial<DocumentContent>): DocumentContent {
  const next: DocumentContent = { ...current };
  // Only content fields: callers may pass a wider object (a create request also names the type).
  for (const key of CONTENT_FIELDS) {
    const value = changes[key];
    if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
  }
  return {
    ...next,
    tags: normaliseTags(next.tags),
    errorCodes: normaliseErrorCodes(next.errorCodes),
  };
}

/** Two contents are the same when every field is; an edit that changes nothing makes no version. */
export function sameContent(a: DocumentContent, b: DocumentContent): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

const canonical = (c: DocumentContent) => CONTENT_FIELDS.map((k) => c[k]);

/** The number of the version an edit or revert creates. Versions start at 1 and never reuse a number. */
export function nextVersion(current: number): number {
  if (!Number.isInteger(current) || current < 1) throw new RangeError(`not a version number: ${current}`);
  return current + 1;
}

/**
 * Checks a plain edit against the version the editor started from (optimistic locking): `baseVersion`, when
 * given, must still be the current version, or someone else's edit would be silently overwritten.
 */
export function checkBaseVersion(current: number, baseVersion?: number): Outcome<true, 'version_conflict'> {
  if (baseVersion === undefined || baseVersion === current) return accept(true);
  return refuse(
    'version_conflict',
    409,
    `The document is at version ${current}, not ${baseVersion}: reload it and apply your changes again.`,
  );
}

/**
 * A revert never rewrites history: it makes version `current + 1` whose content is that of `target`.
 * Reverting to the current version would change nothing, so it is refused; unknown versions are 404 at the edge.
 */
export function planRevert(
  current: number,
  target: number,
): Outcome<{ version: number; revertedFrom: number }, 'already_current' | 'no_such_version'> {
  if (!Number.isInteger(target) || target < 1 || target > current) {
    return refuse('no_such_version', 400, `Version ${target} does not exist; versions run from 1 to ${current}.`);
  }
  if (target === current) return refuse('already_current', 409, `Version ${target} is already the current version.`);
  return accept({ version: nextVersion(current), revertedFrom: target });
}

/** Q&A: people vote on others' posts, not their own. */
export function canVote(actorId: string, postAuthorId: string): Outcome<true, 'own_post'> {
  return actorId === postAuthorId ? refuse('own_post', 403, 'You cannot vote on your own post.') : accept(true);
}

/** Only the asker accepts an answer, and only an answer to that question. */
export function canAccept(
  actorId: string,
  question: { id: string; authorId: string },
  answer: { questionId: string },
): Outcome<true, 'forbidden' | 'wrong_question'> {
  if (question.authorId !== actorId) return refuse('forbidden', 403, 'Only the asker accepts an answer.');
  if (answer.questionId !== question.id)
    return refuse('wrong_question', 409, 'The answer belongs to another question.');
  return accept(true);
}

/** What the Q&A rules need to know about a question or an answer. */
export interface PostFacts {
  authorId: string;
}

/** Q&A moderation: authors edit their own posts; knowledge editors and admins edit anyone's. */
export function canEditPost(actor: KnowledgeActor, post: PostFacts): Outcome<true, 'forbidden'> {
  if (isEditor(actor) || post.authorId === actor.id) return accept(true);
  return refuse('forbidden', 403, 'Only its author, knowledge editors and admins may edit this post.');
}

/** Authors delete their own answers; knowledge editors and admins delete anyone's. */
export function canDeleteAnswer(actor: KnowledgeActor, answer: PostFacts): Outcome<true, 'forbidden'> {
  if (isEditor(actor) || answer.authorId === actor.id) return accept(true);
  return refuse('forbidden', 403, 'Only its author, knowledge editors and admins may delete this answer.');
}

/**
 * The asker deletes their question only while nobody else has answered it: once others have put work into
 * answers, deleting would take that work away, so it is for the curators (knowledge editors and admins), who
 * may always delete. `answersByOthers` counts the answers not written by the asker.
 */
export function canDeleteQuestion(
  actor: KnowledgeActor,
  question: PostFacts,
  answersByOthers: number,
): Outcome<true, 'forbidden' | 'has_answers'> {
  if (isEditor(actor)) return accept(true);
  if (question.authorId !== actor.id) {
    return refuse('forbidden', 403, 'Only the asker, knowledge editors and admins may delete this question.');
  }
  if (answersByOthers > 0) {
    return refuse(
      'has_answers',
      409,
      'Others have answered this question; ask a knowledge editor to delete it, or edit it instead.',
    );
  }
  return accept(true);
}

/** Only the asker withdraws the acceptance of an answer to their question. */
export function canUnaccept(
  actorId: string,
  question: { id: string; authorId: string },
  answer: { questionId: string },
): Outcome<true, 'forbidden' | 'wrong_question'> {
  if (question.authorId !== actorId) return refuse('forbidden', 403, 'Only the asker withdraws an acceptance.');
  if (answer.questionId !== question.id)
    return refuse('wrong_question', 409, 'The answer belongs to another question.');
  return accept(true);
}

// ------------------------------------------------------------------------------------------ categories

/** A tree deeper than this is a filing system nobody can navigate. */
export const MAX_CATEGORY_DEPTH = 8;

/** Where a category sits in the tree. */
export interface CategoryPlace {
  id: string;
  /** Ids from the root down to the parent (empty for a root). */
  ancestorIds: readonly string[];
  /** Names from the root down to the category itself. */
  path: readonly string[];
}

export type CategoryMoveRefusalCode = 'category_cycle' | 'category_too_deep';

/**
 * Where a renamed and/or moved category lands: its new `ancestorIds` and `path` (its descendants keep what lies
 * below it and take this as their new prefix). Refused: under itself or one of its own descendants (409, the
 * tree would become a cycle), or so deep that the subtree's lowest leaves would nest more than
 * {@link MAX_CATEGORY_DEPTH} levels (400).
 *
 * @param height how many levels of descendants hang below the category (0 for a leaf): they move with it.
 */
export function planCategoryMove(
  category: CategoryPlace,
  target: { name: string; parent: CategoryPlace | null },
  height: number,
): Outcome<{ ancestorIds: string[]; path: string[] }, CategoryMoveRefusalCode> {
  const { name, parent } = target;
  if (parent && (parent.id === category.id || parent.ancestorIds.includes(category.id))) {
    return refuse('category_cycle', 409, 'A category cannot move under itself or one of its own subcategories.');
  }
  const depth = (parent ? parent.path.length + 1 : 1) + height;
  if (depth > MAX_CATEGORY_DEPTH) {
    return refuse(
      'category_too_deep',
      400,
      `categories nest at most ${MAX_CATEGORY_DEPTH} deep; there the deepest subcategory would be ${depth} deep`,
    );
  }
  return accept({
    ancestorIds: parent ? [...parent.ancestorIds, parent.id] : [],
    path: [...(parent?.path ?? []), name],
  });
}
