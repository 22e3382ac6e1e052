import { DataTypes, type QueryInterface } from 'sequelize';

/** People, departments and the credentials behind the token endpoint. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const id = { type: DataTypes.UUID, primaryKey: true, allowNull: false };
  const timestamps = {
    created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: qi.sequelize.fn('now') },
    updated_at: { type: DataTypes.DATE, allowNull: false, defaultValue: qi.sequelize.fn('now') },
  };
  await qi.createTable('departments', {
    id,
    name: { type: DataTypes.TEXT, allowNull: false },
    head_id: { type: DataTypes.UUID },
    ...timestamps,
  });
  await qi.addIndex('departments', [qi.sequelize.fn('lower', qi.sequelize.col('name'))] as never, {
    unique: true,
    name: 'departments_name_lower_key',
  });
  await qi.createTable('users', {
    id,
    username: { type: DataTypes.TEXT, allowNull: false },
    password_hash: { type: DataTypes.TEXT },
    display_name: { type: DataTypes.TEXT, allowNull: false },
    email: { type: DataTypes.TEXT },
    roles: { type: DataTypes.ARRAY(DataTypes.TEXT), allowNull: false, defaultValue: [] },
    department_id: { type: DataTypes.UUID, references: { model: 'departments', key: 'id' }, onDelete: 'SET NULL' },
    manager_id: { type: DataTypes.UUID, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    external_id: { type: DataTypes.TEXT, unique: true },
    ...timestamps,
  });
  await qi.addIndex('users', [qi.sequelize.fn('lower', qi.sequelize.col('username'))] as never, {
    unique: true,
    name: 'users_username_lower_key',
  });
  await qi.addIndex('users', ['department_id']);
  await qi.addIndex('users', ['manager_id']);
  await qi.addConstraint('departments', {
    type: 'foreign key',
    fields: ['head_id'],
    name: 'departments_head_id_fkey',
    references: { table: 'users', field: 'id' },
    onDelete: 'SET NULL',
    onUpdate: 'CASCADE',
  });
  await qi.createTable('refresh_tokens', {
    id,
    user_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    token_hash: { type: DataTypes.TEXT, allowNull: false, unique: true },
    family_id: { type: DataTypes.UUID, allowNull: false },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    revoked_at: { type: DataTypes.DATE },
    ...timestamps,
  });
  await qi.addIndex('refresh_tokens', ['family_id']);
  await qi.createTable('service_clients', {
    id,
    client_id: { type: DataTypes.TEXT, allowNull: false, unique: true },
    secret_hash: { type: DataTypes.TEXT, allowNull: false },
    name: { type: DataTypes.TEXT, allowNull: false },
    user_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    ...timestamps,
  });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('service_clients');
  await qi.dropTable('refresh_tokens');
  await qi.removeConstraint('departments', 'departments_head_id_fkey');
  await qi.dropTable('users');
  await qi.dropTable('departments');
}
