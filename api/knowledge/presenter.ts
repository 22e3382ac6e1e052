import { presentStoredFile } from '../http/upload';
import type { DocumentContent } from '../../domain/knowledge';
import type {
  DocumentAttachment,
  DocumentFeedback,
  DocumentVersion,
  KnowledgeCategory,
  KnowledgeDocument,
} from '../../models';
import type { DocumentView } from './document-service';
import type { AnswerView, QuestionStats, QuestionView } from './qa-service';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Guide fields appear on guides only, so an article's JSON does not carry four empty lists. */
const guideFields = (type: string, c: Pick<DocumentContent, 'symptoms' | 'errorCodes' | 'causes' | 'steps'>) =>
  type === 'guide' ? { symptoms: c.symptoms, errorCodes: c.errorCodes, causes: c.causes, steps: c.steps } : {};

export const presentDocumentSummary = (d: KnowledgeDocument) => ({
  id: d.id,
  type: d.type,
  status: d.status,
  version: d.currentVersion,
  title: d.title,
  summary: d.summary,
  categoryId: d.categoryId,
  tags: d.tags,
  language: d.language,
  ...(d.type === 'guide' ? { errorCodes: d.errorCodes } : {}),
  authorId: d.authorId,
  views: d.viewCount,
  publishedAt: iso(d.publishedAt),
  reviewAt: iso(d.reviewAt),
  reviewRemindedAt: iso(d.reviewRemindedAt),
  submittedAt: iso(d.submittedAt),
  reviewedAt: iso(d.reviewedAt),
  reviewedBy: d.reviewedBy ?? null,
  reviewComment: d.reviewComment ?? null,
  archivedAt: iso(d.archivedAt),
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});

export const presentDocument = ({ doc, feedback, myFeedback }: DocumentView) => ({
  ...presentDocumentSummary(doc),
  body: doc.body,
  ...guideFields(doc.type, doc),
  feedback,
  myFeedback: myFeedback ? { helpful: myFeedback.helpful, comment: myFeedback.comment } : null,
});

export const presentVersionSummary = (v: DocumentVersion) => ({
  version: v.version,
  title: v.content.title,
  authorId: v.authorId,
  revertedFrom: v.revertedFrom,
  createdAt: v.createdAt.toISOString(),
});

export const presentVersion = (v: DocumentVersion, type: string) => ({
  ...presentVersionSummary(v),
  documentId: v.documentId,
  body: v.content.body,
  summary: v.content.summary,
  categoryId: v.content.categoryId,
  tags: v.content.tags,
  language: v.content.language,
  ...guideFields(type, v.content),
});

export const presentFeedback = (f: DocumentFeedback) => ({
  documentId: f.documentId,
  userId: f.userId,
  helpful: f.helpful,
  comment: f.comment,
  createdAt: f.createdAt.toISOString(),
  updatedAt: f.updatedAt.toISOString(),
});

/** One reader's verdict as editors and the author read it (`GET /documents/:id/feedback`). */
export const presentFeedbackEntry = (f: DocumentFeedback) => ({
  id: f.id,
  helpful: f.helpful,
  comment: f.comment,
  userId: f.userId,
  createdAt: f.createdAt.toISOString(),
  updatedAt: f.updatedAt.toISOString(),
});

export const presentDocumentAttachment = (a: DocumentAttachment) => ({
  id: a.id,
  documentId: a.documentId,
  ...presentStoredFile(a),
});

export const presentCategory = (c: KnowledgeCategory) => ({
  id: c.id,
  name: c.name,
  parentId: c.parentId,
  path: c.path,
  depth: c.ancestorIds.length,
  createdAt: c.createdAt.toISOString(),
});

export const presentQuestionSummary = ({ question: q, score, answerCount }: QuestionStats) => ({
  id: q.id,
  title: q.title,
  body: q.body,
  tags: q.tags,
  authorId: q.authorId,
  acceptedAnswerId: q.acceptedAnswerId,
  score,
  answerCount,
  createdAt: q.createdAt.toISOString(),
  updatedAt: q.updatedAt.toISOString(),
});

export const presentAnswer = ({ answer: a, score, myVote }: AnswerView, acceptedAnswerId: string | null) => ({
  id: a.id,
  questionId: a.questionId,
  body: a.body,
  authorId: a.authorId,
  score,
  accepted: a.id === acceptedAnswerId,
  myVote,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});

export const presentQuestion = (view: QuestionView) => ({
  ...presentQuestionSummary(view),
  myVote: view.myVote,
  answers: view.answers.map((a) => presentAnswer(a, view.question.acceptedAnswerId)),
});
