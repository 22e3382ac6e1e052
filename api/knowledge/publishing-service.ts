import { badRequest, notFound } from '../../domain/errors';
import {
  publishAction,
  publishable,
  reviewDate,
  transition,
  type DocumentAction,
  type ReviewDecision,
} from '../../domain/knowledge';
import { unwrap } from '../../domain/refusal';
import type { Principal } from '../../domain/roles';
import { KnowledgeDocument } from '../../models';
import type { DocumentLifecycleInput } from '../../workflows/knowledge/definitions';
import { contentOf, type DocumentService } from './document-service';
import type { DocumentLifecycle } from './lifecycle-client';

/**
 * Publication goes through the document's lifecycle workflow: editors publish at once, authors who are not
 * editors submit for review, and editors approve or reject. The rules are checked here first against the row
 * (so a refusal answers without touching Temporal), then again by the workflow's validators and activities.
 */
export class PublishingService {
  constructor(
    private readonly documents: DocumentService,
    private readonly lifecycle: DocumentLifecycle,
  ) {}

  /** `POST /documents/:id/publish`: published (`submitted: false`) or submitted for review (`submitted: true`). */
  async publish(
    user: Principal,
    id: string,
    input: { reviewAt?: Date | undefined },
  ): Promise<{ doc: KnowledgeDocument; submitted: boolean }> {
    const doc = await this.ready(user, id, publishAction(user));
    const reviewAt = this.reviewAt(input.reviewAt);
    const actor = { id: user.id, roles: user.roles };
    if (publishAction(user) === 'publish') {
      await this.lifecycle.publish(startOf(doc), { actor, reviewAt });
      return { doc: await this.reload(id), submitted: false };
    }
    // The author's own date (if any) is kept for the approval; the default is computed when approved.
    await this.lifecycle.submit(startOf(doc), { actor, reviewAt: input.reviewAt ? reviewAt : null });
    return { doc: await this.reload(id), submitted: true };
  }

  /** `POST /documents/:id/review`: an editor approves (published, indexed) or rejects (back to draft). */
  async review(
    user: Principal,
    id: string,
    input: { decision: ReviewDecision; comment?: string | undefined; reviewAt?: Date | undefined },
  ): Promise<KnowledgeDocument> {
    const doc = await this.ready(user, id, input.decision);
    await this.lifecycle.review(startOf(doc), {
      actor: { id: user.id, roles: user.roles },
      decision: input.decision,
      comment: input.comment ?? null,
      reviewAt: this.reviewAt(input.reviewAt),
    });
    return this.reload(id);
  }

  /** The document, if the caller may take `action` on it now and (to publish) its content allows it. */
  private async ready(user: Principal, id: string, action: DocumentAction): Promise<KnowledgeDocument> {
    const doc = await this.documents.load(user, id);
    unwrap(transition(doc, action, user));
    if (action !== 'reject') unwrap(publishable(doc.type, contentOf(doc)));
    return doc;
  }

  private reviewAt(requested: Date | undefined): string {
    const at = reviewDate(new Date(), requested);
    if (!at.ok) throw badRequest(at.message, [{ path: 'body.reviewAt', message: at.message }]);
    return at.value.toISOString();
  }

  private async reload(id: string): Promise<KnowledgeDocument> {
    const doc = await KnowledgeDocument.findByPk(id);
    if (!doc) throw notFound('Document');
    return doc;
  }
}

/** What the workflow starts from when it is not running yet: the row as it is now. */
const startOf = (doc: KnowledgeDocument): DocumentLifecycleInput => ({
  documentId: doc.id,
  status: doc.status,
  reviewAt: doc.reviewAt ? doc.reviewAt.toISOString() : null,
});
