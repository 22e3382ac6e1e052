import { randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import { forbidden, notFound } from '../../domain/errors';
import type { Principal } from '../../domain/roles';
import type { ObjectStorage } from '../../infra/storage';
import { ApprovalTask, Attachment, Notification, Ticket, TicketComment } from '../../models';
import { keysetPage } from '../http/pagination';
import { SIGNED_URL_SECONDS, storeUpload, type UploadedFile } from '../http/upload';
import { canSeeInternal } from './policy';
import type { TicketService } from './service';

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
    const id = randomUUID();
    const objectKey = `tickets/${ticketId}/attachments/${id}`;
    const stored = await storeUpload(this.storage, objectKey, file);
    return Attachment.create({ id, ticketId, uploaderId: user.id, objectKey, ...stored });
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
