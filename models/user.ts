import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { Role } from '../domain/roles';

export class Department extends Model<InferAttributes<Department>, InferCreationAttributes<Department>> {
  declare id: CreationOptional<string>;
  declare name: string;
  declare headId: ForeignKey<string> | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<string>;
  declare username: string;
  /** scrypt hash in the self-describing format of `infra/passwords.ts`; null for users of an external IdP. */
  declare passwordHash: string | null;
  declare displayName: string;
  declare email: string | null;
  declare roles: Role[];
  declare departmentId: string | null;
  declare managerId: string | null;
  declare active: CreationOptional<boolean>;
  /** `iss|sub` of an external identity provider's token, for users provisioned from one. */
  declare externalId: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A rotating refresh token. Only a SHA-256 of the token is stored. */
export class RefreshToken extends Model<InferAttributes<RefreshToken>, InferCreationAttributes<RefreshToken>> {
  declare id: CreationOptional<string>;
  declare userId: string;
  declare tokenHash: string;
  /** All tokens rotated from one login share a family; reuse of a rotated token revokes the family. */
  declare familyId: string;
  declare expiresAt: Date;
  declare revokedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A machine client for the `client_credentials` grant. It acts as the user it is bound to. */
export class ServiceClient extends Model<InferAttributes<ServiceClient>, InferCreationAttributes<ServiceClient>> {
  declare id: CreationOptional<string>;
  declare clientId: string;
  declare secretHash: string;
  declare name: string;
  declare userId: string;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function initUserModels(sequelize: Sequelize): void {
  // A fresh definition per model: Sequelize writes into the attribute objects it is given.
  const id = () => ({ type: DataTypes.UUID, defaultValue: DataTypes.UUIDV4, primaryKey: true });
  const timestamps = { createdAt: DataTypes.DATE, updatedAt: DataTypes.DATE };
  Department.init(
    { id: id(), name: { type: DataTypes.TEXT, allowNull: false }, headId: { type: DataTypes.UUID }, ...timestamps },
    { sequelize, tableName: 'departments', underscored: true },
  );
  User.init(
    {
      id: id(),
      username: { type: DataTypes.TEXT, allowNull: false },
      passwordHash: { type: DataTypes.TEXT },
      displayName: { type: DataTypes.TEXT, allowNull: false },
      email: { type: DataTypes.TEXT },
      roles: { type: DataTypes.ARRAY(DataTypes.TEXT), allowNull: false, defaultValue: [] },
      departmentId: { type: DataTypes.UUID },
      managerId: { type: DataTypes.UUID },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      externalId: { type: DataTypes.TEXT },
      ...timestamps,
    },
    { sequelize, tableName: 'users', underscored: true },
  );
  RefreshToken.init(
    {
      id: id(),
      userId: { type: DataTypes.UUID, allowNull: false },
      tokenHash: { type: DataTypes.TEXT, allowNull: false },
      familyId: { type: DataTypes.UUID, allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      revokedAt: { type: DataTypes.DATE },
      ...timestamps,
    },
    { sequelize, tableName: 'refresh_tokens', underscored: true },
  );
  ServiceClient.init(
    {
      id: id(),
      clientId: { type: DataTypes.TEXT, allowNull: false },
      secretHash: { type: DataTypes.TEXT, allowNull: false },
      name: { type: DataTypes.TEXT, allowNull: false },
      userId: { type: DataTypes.UUID, allowNull: false },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      ...timestamps,
    },
    { sequelize, tableName: 'service_clients', underscored: true },
  );
}
