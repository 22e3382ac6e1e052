import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { conflict, forbidden, notFound } from '../../domain/errors';
import { transition } from '../../domain/knowledge';
import { unwrap } from '../../domain/refusal';
import type { Principal } from '../../domain/roles';
import type { ObjectStorage } from '../../infra/storage';
import { DocumentAttachment, DocumentFeedback } from '../../models';
import { keysetPage } from '../http/pagination';
import { SIGNED_URL_SECONDS, storeUpload, type UploadedFile } from '../http/upload';
import type { DocumentService } from './document-service';
import { canReadFeedback } from './policy';

/** What readers do with documents (feedback) and the files that come with them (attachments). */
export class EngagementService {
  constructor(
    private readonly documents: DocumentService,
    private readonly storage: ObjectStorage,
  ) {}

  /**
   * Records the caller's feedback on a published document: one per person, a second call replaces the first.
   * Answers whether it was new (201) or a change (200).
   */
  async giveFeedback(
    user: Principal,
    documentId: string,
    input: { helpful: boolean; comment?: string | undefined },
  ): Promise<{ feedback: DocumentFeedback; created: boolean }> {
    const doc = await this.documents.load(user, documentId);
    if (doc.status !== 'published') throw conflict('Feedback is for published documents.', 'not_published');
    const [row] = await DocumentFeedback.sequelize!.query<{ id: string; inserted: boolean }>(
      `INSERT INTO document_feedback (id, document_id, user_id, helpful, comment, created_at, updated_at)
       VALUES (:id, :documentId, :userId, :helpful, :comment, now(), now())
       ON CONFLICT (document_id, user_id) DO UPDATE
         SET helpful = EXCLUDED.helpful, comment = EXCLUDED.comment, updated_at = now()
       RETURNING id, (xmax = 0) AS inserted`,
      {
        replacements: {
          id: randomUUID(),
          documentId,
          userId: user.id,
          helpful: input.helpful,
          comment: input.comment ?? null,
        },
        type: QueryTypes.SELECT,
      },
    );
    const feedback = await DocumentFeedback.findByPk(row!.id);
    return { feedback: feedback!, created: row!.inserted };
  }

  /**
   * The verdicts left on a document, newest first (by when each reader first gave one), optionally only the
   * helpful or the unhelpful ones. For the author and the curators: 404 for a document the caller may not see,
   * 403 for a reader who may see it.
   */
  async listFeedback(
    user: Principal,
    documentId: string,
    query: { limit: number; cursor?: string | undefined; helpful?: boolean | undefined },
  ): Promise<{ rows: DocumentFeedback[]; nextCursor: string | null }> {
    const doc = await this.documents.load(user, documentId);
    if (!canReadFeedback(user, doc)) {
      throw forbidden('Only the author, knowledge editors and admins read the feedback on a document.');
    }
    const where = query.helpful === undefined ? { documentId } : { documentId, helpful: query.helpful };
    return keysetPage(DocumentFeedback, where, query);
  }

  /** Uploads a file to a document the caller may edit; the same types and size limit as ticket attachments. */
  async addAttachment(
    user: Principal,
    documentId: string,
    file: UploadedFile | undefined,
  ): Promise<DocumentAttachment> {
    const doc = await this.documents.load(user, documentId);
    unwrap(transition(doc, 'edit', user));
    const id = randomUUID();
    const objectKey = `documents/${documentId}/attachments/${id}`;
    // Stored before the row: a failed upload leaves no row pointing at nothing.
    const stored = await storeUpload(this.storage, objectKey, file);
    return DocumentAttachment.create({ id, documentId, uploaderId: user.id, objectKey, ...stored });
  }

  async listAttachments(user: Principal, documentId: string): Promise<DocumentAttachment[]> {
    await this.documents.load(user, documentId);
    return DocumentAttachment.findAll({
      where: { documentId },
      order: [
        ['createdAt', 'ASC'],
        ['id', 'ASC'],
      ],
    });
  }

  /** A short-lived signed URL for an attachment of a document the caller may see. */
  async downloadUrl(user: Principal, documentId: string, attachmentId: string): Promise<string> {
    await this.documents.load(user, documentId);
    const attachment = await DocumentAttachment.findOne({ where: { id: attachmentId, documentId } });
    if (!attachment) throw notFound('Attachment');
    return this.storage.signedUrl(attachment.objectKey, SIGNED_URL_SECONDS, attachment.filename);
  }
}
