import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { attachmentColumns } from './attachment-columns';
import type { DocumentContent, DocumentStatus, DocumentType } from '../domain/knowledge';

type Attrs<M extends Model> = InferAttributes<M>;
type Creation<M extends Model> = InferCreationAttributes<M>;

/**
 * A node of the category tree. The path (names root..self) and ancestor ids are stored with the row and
 * rewritten for the whole subtree when a category is renamed or moved, so listing and filtering need no joins.
 */
export class KnowledgeCategory extends Model<Attrs<KnowledgeCategory>, Creation<KnowledgeCategory>> {
  declare id: CreationOptional<string>;
  declare name: string;
  declare parentId: string | null;
  /** Ids from the root down to the parent (empty for a root): "this category or below" is one array test. */
  declare ancestorIds: string[];
  /** Names from the root down to this category itself. */
  declare path: string[];
  declare createdBy: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/**
 * A document's identity, status and its current content (a copy of the newest {@link DocumentVersion}, kept
 * here so lists filter and sort without joining the versions).
 */
export class KnowledgeDocument extends Model<Attrs<KnowledgeDocument>, Creation<KnowledgeDocument>> {
  declare id: CreationOptional<string>;
  declare type: DocumentType;
  declare status: DocumentStatus;
  declare title: string;
  declare body: string;
  declare summary: string;
  declare categoryId: string | null;
  declare tags: string[];
  declare language: string;
  declare symptoms: string[];
  declare errorCodes: string[];
  /** `errorCodes` in their compared form (see `errorCodeKey`), GIN-indexed for `GET /guides?errorCode=`. */
  declare errorCodeKeys: string[];
  declare causes: string[];
  declare steps: string[];
  declare authorId: string;
  declare currentVersion: number;
  declare viewCount: CreationOptional<number>;
  declare publishedAt: Date | null;
  declare publishedBy: string | null;
  declare reviewAt: Date | null;
  declare archivedAt: Date | null;
  /** The last submission for review by an author who is not an editor. */
  declare submittedAt: CreationOptional<Date | null>;
  declare submittedBy: CreationOptional<string | null>;
  /** The last review decision: who, when, and the comment (what to fix, after a rejection). */
  declare reviewedAt: CreationOptional<Date | null>;
  declare reviewedBy: CreationOptional<string | null>;
  declare reviewComment: CreationOptional<string | null>;
  /** When the owner was reminded that `reviewAt` came (the lifecycle workflow's durable timer). */
  declare reviewRemindedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** One immutable version of a document's content. */
export class DocumentVersion extends Model<Attrs<DocumentVersion>, Creation<DocumentVersion>> {
  declare id: CreationOptional<string>;
  declare documentId: string;
  declare version: number;
  declare content: DocumentContent;
  /** Who made this version (the document's author made version 1). */
  declare authorId: string | null;
  /** For a revert: the version whose content this one restores. */
  declare revertedFrom: number | null;
  declare createdAt: CreationOptional<Date>;
}

/** One reader's verdict on a document; they may change it, so there is one row per (document, user). */
export class DocumentFeedback extends Model<Attrs<DocumentFeedback>, Creation<DocumentFeedback>> {
  declare id: CreationOptional<string>;
  declare documentId: string;
  declare userId: string;
  declare helpful: boolean;
  declare comment: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class DocumentAttachment extends Model<Attrs<DocumentAttachment>, Creation<DocumentAttachment>> {
  declare id: CreationOptional<string>;
  declare documentId: string;
  declare uploaderId: string;
  declare filename: string;
  declare contentType: string;
  declare size: number;
  declare objectKey: string;
  declare sha256: string;
  declare createdAt: CreationOptional<Date>;
}

export class Question extends Model<Attrs<Question>, Creation<Question>> {
  declare id: CreationOptional<string>;
  declare title: string;
  declare body: string;
  declare tags: string[];
  declare authorId: string;
  declare acceptedAnswerId: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Answer extends Model<Attrs<Answer>, Creation<Answer>> {
  declare id: CreationOptional<string>;
  declare questionId: string;
  declare body: string;
  declare authorId: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** One vote per (user, question); changing it updates the row. Scores are summed from these. */
export class QuestionVote extends Model<Attrs<QuestionVote>, Creation<QuestionVote>> {
  declare id: CreationOptional<string>;
  declare questionId: string;
  declare userId: string;
  declare value: 1 | -1;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class AnswerVote extends Model<Attrs<AnswerVote>, Creation<AnswerVote>> {
  declare id: CreationOptional<string>;
  declare answerId: string;
  declare userId: string;
  declare value: 1 | -1;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initKnowledgeModels(sequelize: Sequelize): void {
  // A fresh definition per model: Sequelize writes into the attribute objects it is given.
  const id = () => ({ type: DataTypes.UUID, defaultValue: DataTypes.UUIDV4, primaryKey: true });
  const ts = { createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE };
  const opts = (tableName: string) => ({ sequelize, tableName, underscored: true });
  // Fresh objects each time: Sequelize writes the column name into an attribute definition it is given.
  const texts = () => ({ type: DataTypes.ARRAY(DataTypes.TEXT), allowNull: false, defaultValue: [] });
  const vote = () => ({ type: DataTypes.SMALLINT, allowNull: false });

  KnowledgeCategory.init(
    {
      id: id(),
      name: { type: DataTypes.TEXT, allowNull: false },
      parentId: { type: DataTypes.UUID },
      ancestorIds: { type: DataTypes.ARRAY(DataTypes.UUID), allowNull: false, defaultValue: [] },
      path: texts(),
      createdBy: { type: DataTypes.UUID },
      ...ts,
    },
    opts('knowledge_categories'),
  );
  KnowledgeDocument.init(
    {
      id: id(),
      type: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.TEXT, allowNull: false },
      title: { type: DataTypes.TEXT, allowNull: false },
      body: { type: DataTypes.TEXT, allowNull: false },
      summary: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      categoryId: { type: DataTypes.UUID },
      tags: texts(),
      language: { type: DataTypes.TEXT, allowNull: false },
      symptoms: texts(),
      errorCodes: texts(),
      errorCodeKeys: texts(),
      causes: texts(),
      steps: texts(),
      authorId: { type: DataTypes.UUID, allowNull: false },
      currentVersion: { type: DataTypes.INTEGER, allowNull: false },
      viewCount: {
        type: DataTypes.BIGINT,
        allowNull: false,
        defaultValue: 0,
        get() {
          return Number(this.getDataValue('viewCount'));
        },
      },
      publishedAt: { type: DataTypes.DATE },
      publishedBy: { type: DataTypes.UUID },
      reviewAt: { type: DataTypes.DATE },
      archivedAt: { type: DataTypes.DATE },
      submittedAt: { type: DataTypes.DATE },
      submittedBy: { type: DataTypes.UUID },
      reviewedAt: { type: DataTypes.DATE },
      reviewedBy: { type: DataTypes.UUID },
      reviewComment: { type: DataTypes.TEXT },
      reviewRemindedAt: { type: DataTypes.DATE },
      ...ts,
    },
    opts('documents'),
  );
  DocumentVersion.init(
    {
      id: id(),
      documentId: { type: DataTypes.UUID, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false },
      content: { type: DataTypes.JSONB, allowNull: false },
      authorId: { type: DataTypes.UUID },
      revertedFrom: { type: DataTypes.INTEGER },
      createdAt: DataTypes.DATE,
    },
    { ...opts('document_versions'), updatedAt: false },
  );
  DocumentFeedback.init(
    {
      id: id(),
      documentId: { type: DataTypes.UUID, allowNull: false },
      userId: { type: DataTypes.UUID, allowNull: false },
      helpful: { type: DataTypes.BOOLEAN, allowNull: false },
      comment: { type: DataTypes.TEXT },
      ...ts,
    },
    opts('document_feedback'),
  );
  DocumentAttachment.init(
    {
      id: id(),
      documentId: { type: DataTypes.UUID, allowNull: false },
      ...attachmentColumns(),
    },
    { ...opts('document_attachments'), updatedAt: false },
  );
  Question.init(
    {
      id: id(),
      title: { type: DataTypes.TEXT, allowNull: false },
      body: { type: DataTypes.TEXT, allowNull: false },
      tags: texts(),
      authorId: { type: DataTypes.UUID, allowNull: false },
      acceptedAnswerId: { type: DataTypes.UUID },
      ...ts,
    },
    opts('questions'),
  );
  Answer.init(
    {
      id: id(),
      questionId: { type: DataTypes.UUID, allowNull: false },
      body: { type: DataTypes.TEXT, allowNull: false },
      authorId: { type: DataTypes.UUID, allowNull: false },
      ...ts,
    },
    opts('answers'),
  );
  QuestionVote.init(
    {
      id: id(),
      questionId: { type: DataTypes.UUID, allowNull: false },
      userId: { type: DataTypes.UUID, allowNull: false },
      value: vote(),
      ...ts,
    },
    opts('question_votes'),
  );
  AnswerVote.init(
    {
      id: id(),
      answerId: { type: DataTypes.UUID, allowNull: false },
      userId: { type: DataTypes.UUID, allowNull: false },
      value: vote(),
      ...ts,
    },
    opts('answer_votes'),
  );
}
