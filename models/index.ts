import type { Sequelize } from 'sequelize';
import { Department, RefreshToken, ServiceClient, User, initUserModels } from './user';

export { Department, RefreshToken, ServiceClient, User };

let initialised: Sequelize | undefined;

/** Initialises every model on one Sequelize instance and declares the associations, in one place. */
export function initModels(sequelize: Sequelize): void {
  if (initialised === sequelize) return;
  initUserModels(sequelize);

  User.belongsTo(Department, { as: 'department', foreignKey: 'departmentId' });
  User.belongsTo(User, { as: 'manager', foreignKey: 'managerId' });
  Department.belongsTo(User, { as: 'head', foreignKey: 'headId', constraints: false });
  RefreshToken.belongsTo(User, { as: 'user', foreignKey: 'userId' });
  ServiceClient.belongsTo(User, { as: 'user', foreignKey: 'userId' });
  initialised = sequelize;
}
