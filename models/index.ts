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

let initialised: Sequelize | undefined;

/** Initialises every model on one Sequelize instance and declares the associations, in one place. */
export function initModels(sequelize: Sequelize): void {
  if (initialised === sequelize) return;
  initUserModels(sequelize);
  initTicketModels(sequelize);

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
  initialised = sequelize;
}
