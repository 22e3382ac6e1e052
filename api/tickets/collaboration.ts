import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Op } from 'sequelize';
import { AppError, forbidden, notFound } from '../../domain/errors';
import type { Principal } from '../../domain/roles';
import type { ObjectStorage } from '../../infra/storage';
import { ApprovalTask, Attachment, Notification, Ticket, TicketComment } from '../../models';
import { keysetPage } from '../http/pagination';
import { canSeeInternal } from './policy';
import type { TicketService } from './service';

/** Content types accepted as attachments: documents, images, text and archives; never HTML or scripts. */
export const ALLOWED_TYPES = new Set([
  'application/pdf',
  'application/zip',
  'application/json',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'message/rfc822',
]);

/** How long a signed download URL stays valid. */
export const SIGNED_URL_SECONDS = 60;

export interface UploadedFile {
  filepath: string;
  originalFilename: string | null;
  mimetype: string | null;
  size: number;
}

/** Comments, attachments, the approval inbox and notifications. */
export class CollaborationService {
  constructor(
    private readonly tickets: TicketService,
    private readonly storage: ObjectStorage,
  ) {}

  async addComment(
    user: Principal,
    ticketId: string,
    input: { body: string; internal: boolean },
  ): Promise<TicketComment> {
    const ticket = await this.tickets.load(user, ticketId);
    if (input.internal && !canSeeInternal(user, ticket))
      throw forbidden('Only agents, approvers and admins write internal notes.');
    const comment = await TicketComment.create({
      ticketId,
      authorId: user.id,
      body: input.body,
      internal: input.internal,
    });
    await this.tickets.note(ticketId, user.id, 'commented', { commentId: comment.id, internal: input.internal });
    return comment;
  }

  async listComments(user: Principal, ticketId: string, query: { limit: number; cursor?: string | undefined }) {
    const ticket = await this.tickets.load(user, ticketId);
    const where = canSeeInternal(user, ticket) ? { ticketId } : { ticketId, internal: false };
    return keysetPage(TicketComment, where, query);
  }

  async addAttachment(user: Principal, ticketId: string, file: UploadedFile | undefined): Promise<Attachment> {
    await this.tickets.load(user, ticketId);
    if (!file)
      throw new AppError(400, 'validation_failed', 'The request is not valid.', [
        { path: 'body.file', message: 'a file is required (multipart field "file")' },
      ]);
    const contentType = (file.mimetype ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
    if (!ALLOWED_TYPES.has(contentType)) {
      throw new AppError(415, 'unsupported_media_type', `Files of type ${contentType} are not accepted.`);
    }
    const size = (await stat(file.filepath)).size;
    const sha256 = await hashFile(file.filepath);
    const id = randomUUID();
    const objectKey = `tickets/${ticketId}/attachments/${id}`;
    await this.storage.put(objectKey, createReadStream(file.filepath), size, contentType);
    return Attachment.create({
      id,
      ticketId,
      uploaderId: user.id,
      filename: sanitizeFilename(file.originalFilename ?? 'file'),
      contentType,
      size,
      objectKey,
      sha256,
    });
  }

  async listAttachments(user: Principal, ticketId: string) {
    await this.tickets.load(user, ticketId);
    return Attachment.findAll({ where: { ticketId }, order: [['createdAt', 'ASC']] });
  }

  /** A short-lived signed URL for an attachment of a ticket the caller may see. */
  async downloadUrl(user: Principal, attachmentId: string): Promise<string> {
    const attachment = await Attachment.findByPk(attachmentId);
    if (!attachment) throw notFound('Attachment');
    try {
      await this.tickets.load(user, attachment.ticketId);
    } catch {
      throw notFound('Attachment');
    }
    return this.storage.signedUrl(attachment.objectKey, SIGNED_URL_SECONDS, attachment.filename);
  }

  inbox(user: Principal, query: { limit: number; status: 'pending' | 'decided' | 'all' }, offset: number) {
    const status =
      query.status === 'pending'
        ? { status: 'pending' }
        : query.status === 'decided'
          ? { status: { [Op.ne]: 'pending' } }
          : {};
    return ApprovalTask.findAll({
      where: { userId: user.id, ...status },
      include: [{ model: Ticket, as: 'ticket', attributes: ['id', 'number', 'title'] }],
      order: [
        ['requestedAt', 'ASC'],
        ['id', 'ASC'],
      ],
      limit: query.limit,
      offset,
    }) as Promise<(ApprovalTask & { ticket?: Ticket })[]>;
  }

  notifications(user: Principal, query: { limit: number; cursor?: string | undefined; unread?: boolean | undefined }) {
    const where =
      query.unread === undefined
        ? { userId: user.id }
        : { userId: user.id, readAt: query.unread ? null : { [Op.ne]: null } };
    return keysetPage(Notification, where, query);
  }

  async markRead(user: Principal, id: string): Promise<Notification> {
    const n = await Notification.findOne({ where: { id, userId: user.id } });
    if (!n) throw notFound('Notification');
    if (!n.readAt) await n.update({ readAt: new Date() });
    return n;
  }
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

/** Keeps the name a person gave the file, without path parts or control characters. */
export function sanitizeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  const clean = [...base]
    .filter((c) => c.charCodeAt(0) > 0x1f && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .slice(0, 255);
  return clean === '' || clean === '.' || clean === '..' ? 'file' : clean;
}
