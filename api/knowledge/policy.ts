import { Op, type WhereOptions } from 'sequelize';
import { canEditDocument, canSeeDocument, isEditor } from '../../domain/knowledge';
import type { Principal } from '../../domain/roles';
import type { KnowledgeDocument } from '../../models';

/**
 * Document visibility for lists, as a SQL condition: the rule of `canSeeDocument` (readers see published
 * documents, authors their own, editors and admins all).
 */
export function visibleDocumentsWhere(user: Principal): WhereOptions {
  if (isEditor(user)) return {};
  return { [Op.or]: [{ status: 'published' }, { authorId: user.id }] };
}

/** The same rule for one loaded document. A document the caller may not see answers 404, as if absent. */
export const canSee = (user: Principal, doc: KnowledgeDocument): boolean => canSeeDocument(user, doc);

/**
 * Which documents tag counts are taken over: readers count what they can read, editors everything that is
 * not archived (drafts included, so they see the vocabulary in use).
 */
export const tagCountStatuses = (user: Principal): string[] =>
  isEditor(user) ? ['draft', 'published'] : ['published'];

/**
 * Who reads the feedback left on a document: those who can act on it, its author and the curators (knowledge
 * editors and admins). Asked only for a document the caller may see; a reader who sees it is refused (403).
 */
export const canReadFeedback = (user: Principal, doc: KnowledgeDocument): boolean => canEditDocument(user, doc);
