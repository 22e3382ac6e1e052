import { DataTypes, type QueryInterface } from 'sequelize';

/** Calendars, versioned approval chains, tickets and everything hanging off them. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const now = qi.sequelize.fn('now');
  const id = { type: DataTypes.UUID, primaryKey: true, allowNull: false };
  const created = { created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now } };
  const timestamps = { ...created, updated_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now } };
  const user = (allowNull: boolean, onDelete = 'SET NULL') => ({
    type: DataTypes.UUID,
    allowNull,
    references: { model: 'users', key: 'id' },
    onDelete,
  });
  const ticket = {
    type: DataTypes.UUID,
    allowNull: false,
    references: { model: 'tickets', key: 'id' },
    onDelete: 'CASCADE',
  };

  await qi.createTable('calendars', {
    id,
    name: { type: DataTypes.TEXT, allowNull: false },
    timezone: { type: DataTypes.TEXT, allowNull: false },
    working_hours: { type: DataTypes.JSONB, allowNull: false },
    holidays: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
    ...timestamps,
  });

  await qi.createTable('approval_chains', {
    id,
    name: { type: DataTypes.TEXT, allowNull: false },
    category: { type: DataTypes.TEXT, allowNull: false },
    current_version: { type: DataTypes.INTEGER, allowNull: false },
    created_by: user(true),
    ...timestamps,
  });
  await qi.addIndex('approval_chains', [qi.sequelize.fn('lower', qi.sequelize.col('category'))] as never, {
    unique: true,
    name: 'approval_chains_category_lower_key',
  });
  await qi.createTable('approval_chain_versions', {
    id,
    chain_id: {
      type: DataTypes.UUID,
      allowNull: false,
      references: { model: 'approval_chains', key: 'id' },
      onDelete: 'CASCADE',
    },
    version: { type: DataTypes.INTEGER, allowNull: false },
    definition: { type: DataTypes.JSONB, allowNull: false },
    created_by: user(true),
    ...created,
  });
  await qi.addIndex('approval_chain_versions', ['chain_id', 'version'], { unique: true });

  await qi.sequelize.query('CREATE SEQUENCE ticket_number_seq START 1000');
  await qi.createTable('tickets', {
    id,
    number: {
      type: DataTypes.BIGINT,
      allowNull: false,
      unique: true,
      defaultValue: qi.sequelize.literal("nextval('ticket_number_seq')"),
    },
    title: { type: DataTypes.TEXT, allowNull: false },
    description: { type: DataTypes.TEXT, allowNull: false },
    category: { type: DataTypes.TEXT, allowNull: false },
    priority: { type: DataTypes.TEXT, allowNull: false },
    fields: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
    status: { type: DataTypes.TEXT, allowNull: false },
    requester_id: user(false, 'RESTRICT'),
    department_id: { type: DataTypes.UUID, references: { model: 'departments', key: 'id' }, onDelete: 'SET NULL' },
    assignee_id: user(true),
    chain_id: { type: DataTypes.UUID, references: { model: 'approval_chains', key: 'id' }, onDelete: 'SET NULL' },
    chain_version: { type: DataTypes.INTEGER },
    approval: { type: DataTypes.JSONB },
    sla: { type: DataTypes.JSONB },
    resolution: { type: DataTypes.TEXT },
    event_seq: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    submitted_at: { type: DataTypes.DATE },
    ...timestamps,
  });
  await qi.sequelize.query('ALTER SEQUENCE ticket_number_seq OWNED BY tickets.number');
  await qi.sequelize.query(
    "ALTER TABLE tickets ADD CONSTRAINT tickets_priority_check CHECK (priority IN ('low','normal','high','urgent'))",
  );
  await qi.addIndex('tickets', ['requester_id', 'created_at']);
  await qi.addIndex('tickets', ['assignee_id', 'created_at']);
  await qi.addIndex('tickets', ['department_id', 'created_at']);
  await qi.addIndex('tickets', ['status', 'created_at']);
  await qi.addIndex('tickets', ['category']);

  await qi.createTable('ticket_history', {
    id,
    ticket_id: ticket,
    at: { type: DataTypes.DATE, allowNull: false },
    actor_id: user(true),
    type: { type: DataTypes.TEXT, allowNull: false },
    detail: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
    seq: { type: DataTypes.INTEGER },
  });
  await qi.addIndex('ticket_history', ['ticket_id', 'at']);

  await qi.createTable('approval_tasks', {
    id,
    ticket_id: ticket,
    step_index: { type: DataTypes.INTEGER, allowNull: false },
    step_name: { type: DataTypes.TEXT, allowNull: false },
    user_id: user(false, 'CASCADE'),
    on_behalf_of: user(true),
    status: { type: DataTypes.TEXT, allowNull: false },
    requested_at: { type: DataTypes.DATE, allowNull: false },
    due_at: { type: DataTypes.DATE },
    decided_at: { type: DataTypes.DATE },
    updated_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now },
  });
  await qi.addIndex('approval_tasks', ['ticket_id', 'step_index', 'user_id'], { unique: true });
  await qi.addIndex('approval_tasks', ['user_id', 'status', 'requested_at']);

  await qi.createTable('notifications', {
    id,
    user_id: user(false, 'CASCADE'),
    ticket_id: { type: DataTypes.UUID, references: { model: 'tickets', key: 'id' }, onDelete: 'CASCADE' },
    event_id: { type: DataTypes.UUID, allowNull: false },
    type: { type: DataTypes.TEXT, allowNull: false },
    title: { type: DataTypes.TEXT, allowNull: false },
    body: { type: DataTypes.TEXT, allowNull: false },
    read_at: { type: DataTypes.DATE },
    ...created,
  });
  await qi.addIndex('notifications', ['event_id', 'user_id'], { unique: true });
  await qi.addIndex('notifications', ['user_id', 'read_at', 'created_at']);

  await qi.createTable('ticket_comments', {
    id,
    ticket_id: ticket,
    author_id: user(false, 'RESTRICT'),
    body: { type: DataTypes.TEXT, allowNull: false },
    internal: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    ...timestamps,
  });
  await qi.addIndex('ticket_comments', ['ticket_id', 'created_at']);

  await qi.createTable('attachments', {
    id,
    ticket_id: ticket,
    uploader_id: user(false, 'RESTRICT'),
    filename: { type: DataTypes.TEXT, allowNull: false },
    content_type: { type: DataTypes.TEXT, allowNull: false },
    size: { type: DataTypes.BIGINT, allowNull: false },
    object_key: { type: DataTypes.TEXT, allowNull: false, unique: true },
    sha256: { type: DataTypes.TEXT, allowNull: false },
    ...created,
  });
  await qi.addIndex('attachments', ['ticket_id', 'created_at']);

  await qi.createTable('category_rules', {
    id,
    category: { type: DataTypes.TEXT, allowNull: false },
    assignee_id: user(true),
    department_id: { type: DataTypes.UUID, references: { model: 'departments', key: 'id' }, onDelete: 'SET NULL' },
    ...timestamps,
  });
  await qi.addIndex('category_rules', [qi.sequelize.fn('lower', qi.sequelize.col('category'))] as never, {
    unique: true,
    name: 'category_rules_category_lower_key',
  });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const table of [
    'category_rules',
    'attachments',
    'ticket_comments',
    'notifications',
    'approval_tasks',
    'ticket_history',
    'tickets',
    'approval_chain_versions',
    'approval_chains',
    'calendars',
  ]) {
    await qi.dropTable(table);
  }
  await qi.sequelize.query('DROP SEQUENCE IF EXISTS ticket_number_seq');
}
