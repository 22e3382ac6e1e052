import type { Sequelize } from 'sequelize';
import { Department, RefreshToken, ServiceClient, User, initUserModels } from './user';
import {
  ApprovalChain,
  ApprovalChainVersion,
  ApprovalTask,
  Attachment,
  Calendar,
  CategoryRule,
  Notification,
  Ticket,
  TicketComment,
  TicketHistory,
  initTicketModels,
} from './ticket';
import {
  Answer,
  AnswerVote,
  DocumentAttachment,
  DocumentFeedback,
  DocumentVersion,
  KnowledgeCategory,
  KnowledgeDocument,
  Question,
  QuestionVote,
  initKnowledgeModels,
} from './knowledge';

export { Department, RefreshToken, ServiceClient, User };
export {
  ApprovalChain,
  ApprovalChainVersion,
  ApprovalTask,
  Attachment,
  Calendar,
  CategoryRule,
  Notification,
  Ticket,
  TicketComment,
  TicketHistory,
};
export {
  Answer,
  AnswerVote,
  DocumentAttachment,
  DocumentFeedback,
  DocumentVersion,
  KnowledgeCategory,
  KnowledgeDocument,
  Question,
  QuestionVote,
};

let initialised: Sequelize | undefined;

/** Initialises every model on one Sequelize instance and declares the associations, in one place. */
export function initModels(sequelize: Sequelize): void {
  if (initialised === sequelize) return;
  initUserModels(sequelize);
  initTicketModels(sequelize);
  initKnowledgeModels(sequelize);

  User.belongsTo(Department, { as: 'department', foreignKey: 'departmentId' });
  User.belongsTo(User, { as: 'manager', foreignKey: 'managerId' });
  Department.belongsTo(User, { as: 'head', foreignKey: 'headId', constraints: false });
  RefreshToken.belongsTo(User, { as: 'user', foreignKey: 'userId' });
  ServiceClient.belongsTo(User, { as: 'user', foreignKey: 'userId' });

  ApprovalChain.hasMany(ApprovalChainVersion, { as: 'versions', foreignKey: 'chainId' });
  ApprovalChainVersion.belongsTo(ApprovalChain, { as: 'chain', foreignKey: 'chainId' });
  Ticket.belongsTo(User, { as: 'requester', foreignKey: 'requesterId' });
  Ticket.belongsTo(User, { as: 'assignee', foreignKey: 'assigneeId' });
  Ticket.hasMany(TicketHistory, { as: 'history', foreignKey: 'ticketId' });
  Ticket.hasMany(ApprovalTask, { as: 'tasks', foreignKey: 'ticketId' });
  Ticket.hasMany(TicketComment, { as: 'comments', foreignKey: 'ticketId' });
  Ticket.hasMany(Attachment, { as: 'attachments', foreignKey: 'ticketId' });
  ApprovalTask.belongsTo(Ticket, { as: 'ticket', foreignKey: 'ticketId' });
  Notification.belongsTo(Ticket, { as: 'ticket', foreignKey: 'ticketId' });

  KnowledgeCategory.belongsTo(KnowledgeCategory, { as: 'parent', foreignKey: 'parentId' });
  KnowledgeDocument.belongsTo(KnowledgeCategory, { as: 'category', foreignKey: 'categoryId' });
  KnowledgeDocument.belongsTo(User, { as: 'author', foreignKey: 'authorId' });
  KnowledgeDocument.hasMany(DocumentVersion, { as: 'versions', foreignKey: 'documentId' });
  KnowledgeDocument.hasMany(DocumentFeedback, { as: 'feedback', foreignKey: 'documentId' });
  KnowledgeDocument.hasMany(DocumentAttachment, { as: 'attachments', foreignKey: 'documentId' });
  DocumentVersion.belongsTo(KnowledgeDocument, { as: 'document', foreignKey: 'documentId' });
  Question.hasMany(Answer, { as: 'answers', foreignKey: 'questionId' });
  Question.belongsTo(Answer, { as: 'acceptedAnswer', foreignKey: 'acceptedAnswerId', constraints: false });
  Answer.belongsTo(Question, { as: 'question', foreignKey: 'questionId' });
  Question.hasMany(QuestionVote, { as: 'votes', foreignKey: 'questionId' });
  Answer.hasMany(AnswerVote, { as: 'votes', foreignKey: 'answerId' });
  initialised = sequelize;
}
