import { Op, QueryTypes, type Transaction, type WhereOptions } from 'sequelize';
import { badRequest, forbidden, notFound, type FieldError } from '../../domain/errors';
import {
  applyEdit,
  canEditDocument,
  checkBaseVersion,
  errorCodeKey,
  guideFieldErrors,
  normaliseErrorCodes,
  normaliseTags,
  planRevert,
  sameContent,
  transition,
  nextVersion,
  type DocumentContent,
  type DocumentType,
} from '../../domain/knowledge';
import { unwrap } from '../../domain/refusal';
import type { Principal } from '../../domain/roles';
import { DocumentFeedback, DocumentVersion, KnowledgeCategory, KnowledgeDocument } from '../../models';
import { keysetPage } from '../http/pagination';
import { decodeNumberCursor, encodeNumberCursor } from './cursor';
import { canSee, visibleDocumentsWhere } from './policy';

export interface NewDocument extends Partial<Omit<DocumentContent, 'title' | 'body' | 'language'>> {
  type: DocumentType;
  title: string;
  body: string;
  language: string;
}

export type DocumentChanges = Partial<DocumentContent> & { baseVersion?: number | undefined };

/** A document as the API shows it: the row plus what readers did with it. */
export interface DocumentView {
  doc: KnowledgeDocument;
  feedback: { helpful: number; notHelpful: number };
  myFeedback: DocumentFeedback | null;
}

interface ListQuery {
  limit: number;
  cursor?: string | undefined;
  type?: DocumentType | undefined;
  status?: string | undefined;
  categoryId?: string | undefined;
  tag?: string | undefined;
  authorId?: string | undefined;
}

/** Documents and their immutable versions; the row carries the current content, each version all of it. */
export class DocumentService {
  /**
   * @param contentChanged called after a change readers can see has committed (archive, an edit of a published
   *   document; publication is indexed by the lifecycle workflow), to update the search index; it must not throw.
   */
  constructor(
    private readonly contentChanged: (documentId: string) => Promise<void> = async () => {},
    /** Called after an archive has committed, to end the document's lifecycle workflow; it must not throw. */
    private readonly archived: (documentId: string) => Promise<void> = async () => {},
  ) {}

  async create(user: Principal, input: NewDocument): Promise<KnowledgeDocument> {
    const errors = guideFieldErrors(input.type, input);
    errors.push(...(await this.categoryErrors(input.categoryId)));
    if (errors.length > 0) throw badRequest('The document is not valid.', errors);
    const content = applyEdit(emptyContent(input.language), input);
    return KnowledgeDocument.sequelize!.transaction(async (transaction) => {
      const doc = await KnowledgeDocument.create(
        { ...columns(content), type: input.type, status: 'draft', authorId: user.id, currentVersion: 1 },
        { transaction },
      );
      await DocumentVersion.create(
        { documentId: doc.id, version: 1, content, authorId: user.id, revertedFrom: null },
        {
          transaction,
        },
      );
      return doc;
    });
  }

  async list(user: Principal, query: ListQuery) {
    const conditions: WhereOptions[] = [visibleDocumentsWhere(user)];
    if (query.type) conditions.push({ type: query.type });
    if (query.status) conditions.push({ status: query.status });
    if (query.authorId) conditions.push({ authorId: query.authorId });
    if (query.tag) conditions.push({ tags: { [Op.contains]: normaliseTags([query.tag]) } });
    if (query.categoryId) conditions.push({ categoryId: { [Op.in]: subtree(query.categoryId) } });
    return keysetPage(KnowledgeDocument, { [Op.and]: conditions }, query);
  }

  /** Published troubleshooting guides, optionally those that list an error code (exact, case-insensitive). */
  guides(query: { limit: number; cursor?: string | undefined; errorCode?: string | undefined }) {
    const where: WhereOptions = { type: 'guide', status: 'published' };
    if (query.errorCode) Object.assign(where, { errorCodeKeys: { [Op.contains]: [errorCodeKey(query.errorCode)] } });
    return keysetPage(KnowledgeDocument, where, query);
  }

  /** The document if the caller may see it; 404 otherwise (also for documents that exist but are not theirs). */
  async load(user: Principal, id: string, transaction?: Transaction): Promise<KnowledgeDocument> {
    const doc = await KnowledgeDocument.findByPk(id, { transaction, lock: transaction?.LOCK.UPDATE });
    if (!doc || !canSee(user, doc)) throw notFound('Document');
    return doc;
  }

  /** Reads a document for display. A read of a published document counts as a view; drafts are not counted. */
  async read(user: Principal, id: string): Promise<DocumentView> {
    const doc = await this.load(user, id);
    if (doc.status === 'published') {
      const [row] = await KnowledgeDocument.sequelize!.query<{ view_count: string }>(
        'UPDATE documents SET view_count = view_count + 1 WHERE id = :id RETURNING view_count',
        { replacements: { id }, type: QueryTypes.SELECT },
      );
      if (row) doc.setDataValue('viewCount', Number(row.view_count));
    }
    return this.view(user, doc);
  }

  async view(user: Principal, doc: KnowledgeDocument): Promise<DocumentView> {
    const [counts] = await KnowledgeDocument.sequelize!.query<{ helpful: string; not_helpful: string }>(
      `SELECT count(*) FILTER (WHERE helpful) AS helpful, count(*) FILTER (WHERE NOT helpful) AS not_helpful
         FROM document_feedback WHERE document_id = :id`,
      { replacements: { id: doc.id }, type: QueryTypes.SELECT },
    );
    const myFeedback = await DocumentFeedback.findOne({ where: { documentId: doc.id, userId: user.id } });
    return {
      doc,
      feedback: { helpful: Number(counts?.helpful ?? 0), notHelpful: Number(counts?.not_helpful ?? 0) },
      myFeedback,
    };
  }

  /** An edit: a new version when the content changes; the status stays (an edit to a published page is live). */
  async update(user: Principal, id: string, changes: DocumentChanges): Promise<KnowledgeDocument> {
    const { baseVersion, ...content } = changes;
    const doc = await KnowledgeDocument.sequelize!.transaction(async (transaction) => {
      const doc = await this.load(user, id, transaction);
      unwrap(transition(doc, 'edit', user));
      unwrap(checkBaseVersion(doc.currentVersion, baseVersion));
      const errors = guideFieldErrors(doc.type, content);
      if (content.categoryId !== doc.categoryId) errors.push(...(await this.categoryErrors(content.categoryId)));
      if (errors.length > 0) throw badRequest('The document is not valid.', errors);
      const next = applyEdit(contentOf(doc), content);
      if (sameContent(next, contentOf(doc))) return doc;
      return this.saveVersion(doc, next, user.id, null, transaction);
    });
    if (doc.status === 'published') await this.contentChanged(doc.id);
    return doc;
  }

  /** A revert is a new version carrying an older version's content; history is never rewritten. */
  async revert(user: Principal, id: string, target: number): Promise<KnowledgeDocument> {
    const doc = await KnowledgeDocument.sequelize!.transaction(async (transaction) => {
      const doc = await this.load(user, id, transaction);
      unwrap(transition(doc, 'edit', user));
      const old = await DocumentVersion.findOne({ where: { documentId: id, version: target }, transaction });
      if (!old) throw notFound('Version');
      const plan = unwrap(planRevert(doc.currentVersion, target));
      const content = { ...old.content };
      // The category may have gone since; the content is still worth restoring without it.
      if (content.categoryId && (await this.categoryErrors(content.categoryId)).length > 0) content.categoryId = null;
      return this.saveVersion(doc, content, user.id, plan.revertedFrom, transaction);
    });
    if (doc.status === 'published') await this.contentChanged(doc.id);
    return doc;
  }

  async versions(user: Principal, id: string, query: { limit: number; cursor?: string | undefined }) {
    await this.loadForHistory(user, id);
    const before = decodeNumberCursor(query.cursor);
    const rows = await DocumentVersion.findAll({
      where: { documentId: id, ...(before !== undefined ? { version: { [Op.lt]: before } } : {}) },
      order: [['version', 'DESC']],
      limit: query.limit + 1,
    });
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    return { rows: page, nextCursor: more ? encodeNumberCursor(page[page.length - 1]!.version) : null };
  }

  async version(user: Principal, id: string, n: number): Promise<{ doc: KnowledgeDocument; version: DocumentVersion }> {
    const doc = await this.loadForHistory(user, id);
    const version = await DocumentVersion.findOne({ where: { documentId: id, version: n } });
    if (!version) throw notFound('Version');
    return { doc, version };
  }

  /** `DELETE`: archives (readers no longer see it); the document and its versions are kept. Idempotent. */
  async archive(user: Principal, id: string): Promise<KnowledgeDocument> {
    const doc = await KnowledgeDocument.sequelize!.transaction(async (transaction) => {
      const doc = await this.load(user, id, transaction);
      const { status } = unwrap(transition(doc, 'archive', user));
      if (doc.status === 'archived') return doc;
      return doc.update({ status, archivedAt: new Date() }, { transaction });
    });
    await this.contentChanged(doc.id);
    await this.archived(doc.id);
    return doc;
  }

  /** Version history is an editing tool: the author and the curators, not every reader. */
  private async loadForHistory(user: Principal, id: string): Promise<KnowledgeDocument> {
    const doc = await this.load(user, id);
    if (!canEditDocument(user, doc)) throw forbidden('Only the author, knowledge editors and admins see versions.');
    return doc;
  }

  private async saveVersion(
    doc: KnowledgeDocument,
    content: DocumentContent,
    actorId: string,
    revertedFrom: number | null,
    transaction: Transaction,
  ): Promise<KnowledgeDocument> {
    const version = nextVersion(doc.currentVersion);
    await DocumentVersion.create(
      { documentId: doc.id, version, content, authorId: actorId, revertedFrom },
      {
        transaction,
      },
    );
    return doc.update({ ...columns(content), currentVersion: version }, { transaction });
  }

  private async categoryErrors(categoryId: string | null | undefined): Promise<FieldError[]> {
    if (!categoryId) return [];
    const found = await KnowledgeCategory.findByPk(categoryId, { attributes: ['id'] });
    return found ? [] : [{ path: 'body.categoryId', message: 'no such category' }];
  }
}

const emptyContent = (language: string): DocumentContent => ({
  title: '',
  body: '',
  summary: '',
  categoryId: null,
  tags: [],
  language,
  symptoms: [],
  errorCodes: [],
  causes: [],
  steps: [],
});

/** The current content, as stored on the document row. */
export const contentOf = (doc: KnowledgeDocument): DocumentContent => ({
  title: doc.title,
  body: doc.body,
  summary: doc.summary,
  categoryId: doc.categoryId,
  tags: doc.tags,
  language: doc.language,
  symptoms: doc.symptoms,
  errorCodes: doc.errorCodes,
  causes: doc.causes,
  steps: doc.steps,
});

const columns = (c: DocumentContent) => ({
  ...c,
  errorCodes: normaliseErrorCodes(c.errorCodes),
  errorCodeKeys: normaliseErrorCodes(c.errorCodes).map(errorCodeKey),
});

/** Ids of a category and every category below it, as a subquery. */
function subtree(categoryId: string) {
  const sequelize = KnowledgeCategory.sequelize!;
  const id = sequelize.escape(categoryId);
  return sequelize.literal(
    `(SELECT id FROM knowledge_categories WHERE id = ${id} OR ancestor_ids @> ARRAY[${id}]::uuid[])`,
  );
}
