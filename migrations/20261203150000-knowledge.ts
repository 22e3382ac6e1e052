import { DataTypes, type QueryInterface } from 'sequelize';

/** The knowledge base: categories, versioned documents, feedback, attachments, and Q&A with votes. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const now = qi.sequelize.fn('now');
  const id = { type: DataTypes.UUID, primaryKey: true, allowNull: false };
  const created = { created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now } };
  const timestamps = { ...created, updated_at: { type: DataTypes.DATE, allowNull: false, defaultValue: now } };
  const texts = () => ({ type: DataTypes.ARRAY(DataTypes.TEXT), allowNull: false, defaultValue: [] });
  const user = (allowNull: boolean, onDelete = 'SET NULL') => ({
    type: DataTypes.UUID,
    allowNull,
    references: { model: 'users', key: 'id' },
    onDelete,
  });
  const ref = (table: string, onDelete = 'CASCADE') => ({
    type: DataTypes.UUID,
    allowNull: false,
    references: { model: table, key: 'id' },
    onDelete,
  });
  const check = (table: string, name: string, condition: string) =>
    qi.sequelize.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_${name}_check CHECK (${condition})`);

  await qi.createTable('knowledge_categories', {
    id,
    name: { type: DataTypes.TEXT, allowNull: false },
    parent_id: {
      type: DataTypes.UUID,
      references: { model: 'knowledge_categories', key: 'id' },
      onDelete: 'RESTRICT',
    },
    ancestor_ids: { type: DataTypes.ARRAY(DataTypes.UUID), allowNull: false, defaultValue: [] },
    path: texts(),
    created_by: user(true),
    ...timestamps,
  });
  // Sibling names are unique regardless of case; roots are siblings of each other.
  await qi.sequelize.query(
    `CREATE UNIQUE INDEX knowledge_categories_sibling_name_key ON knowledge_categories
       (COALESCE(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))`,
  );
  await qi.sequelize.query(
    'CREATE INDEX knowledge_categories_ancestor_ids_idx ON knowledge_categories USING GIN (ancestor_ids)',
  );

  await qi.createTable('documents', {
    id,
    type: { type: DataTypes.TEXT, allowNull: false },
    status: { type: DataTypes.TEXT, allowNull: false },
    title: { type: DataTypes.TEXT, allowNull: false },
    body: { type: DataTypes.TEXT, allowNull: false },
    summary: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    category_id: {
      type: DataTypes.UUID,
      references: { model: 'knowledge_categories', key: 'id' },
      onDelete: 'SET NULL',
    },
    tags: texts(),
    language: { type: DataTypes.TEXT, allowNull: false },
    symptoms: texts(),
    error_codes: texts(),
    error_code_keys: texts(),
    causes: texts(),
    steps: texts(),
    author_id: user(false, 'RESTRICT'),
    current_version: { type: DataTypes.INTEGER, allowNull: false },
    view_count: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
    published_at: { type: DataTypes.DATE },
    published_by: user(true),
    review_at: { type: DataTypes.DATE },
    archived_at: { type: DataTypes.DATE },
    ...timestamps,
  });
  await check('documents', 'type', "type IN ('article','guide')");
  await check('documents', 'status', "status IN ('draft','published','archived')");
  await qi.addIndex('documents', ['status', 'created_at']);
  await qi.addIndex('documents', ['author_id', 'created_at']);
  await qi.addIndex('documents', ['category_id', 'created_at']);
  await qi.addIndex('documents', ['review_at']);
  await qi.sequelize.query('CREATE INDEX documents_tags_idx ON documents USING GIN (tags)');
  await qi.sequelize.query('CREATE INDEX documents_error_code_keys_idx ON documents USING GIN (error_code_keys)');

  await qi.createTable('document_versions', {
    id,
    document_id: ref('documents'),
    version: { type: DataTypes.INTEGER, allowNull: false },
    content: { type: DataTypes.JSONB, allowNull: false },
    author_id: user(true),
    reverted_from: { type: DataTypes.INTEGER },
    ...created,
  });
  // Two racing edits cannot both become version n: the second fails on this key.
  await qi.addIndex('document_versions', ['document_id', 'version'], { unique: true });

  await qi.createTable('document_feedback', {
    id,
    document_id: ref('documents'),
    user_id: user(false, 'CASCADE'),
    helpful: { type: DataTypes.BOOLEAN, allowNull: false },
    comment: { type: DataTypes.TEXT },
    ...timestamps,
  });
  await qi.addIndex('document_feedback', ['document_id', 'user_id'], { unique: true });

  await qi.createTable('document_attachments', {
    id,
    document_id: ref('documents'),
    uploader_id: user(false, 'RESTRICT'),
    filename: { type: DataTypes.TEXT, allowNull: false },
    content_type: { type: DataTypes.TEXT, allowNull: false },
    size: { type: DataTypes.BIGINT, allowNull: false },
    object_key: { type: DataTypes.TEXT, allowNull: false, unique: true },
    sha256: { type: DataTypes.TEXT, allowNull: false },
    ...created,
  });
  await qi.addIndex('document_attachments', ['document_id', 'created_at']);

  await qi.createTable('questions', {
    id,
    title: { type: DataTypes.TEXT, allowNull: false },
    body: { type: DataTypes.TEXT, allowNull: false },
    tags: texts(),
    author_id: user(false, 'RESTRICT'),
    accepted_answer_id: { type: DataTypes.UUID },
    ...timestamps,
  });
  await qi.sequelize.query('CREATE INDEX questions_tags_idx ON questions USING GIN (tags)');
  await qi.createTable('answers', {
    id,
    question_id: ref('questions'),
    body: { type: DataTypes.TEXT, allowNull: false },
    author_id: user(false, 'RESTRICT'),
    ...timestamps,
  });
  await qi.addIndex('answers', ['question_id', 'created_at']);
  // Added after `answers` exists: the two tables refer to each other.
  await qi.addConstraint('questions', {
    type: 'foreign key',
    fields: ['accepted_answer_id'],
    name: 'questions_accepted_answer_id_fkey',
    references: { table: 'answers', field: 'id' },
    onDelete: 'SET NULL',
    onUpdate: 'NO ACTION',
  });

  await qi.createTable('question_votes', {
    id,
    question_id: ref('questions'),
    user_id: user(false, 'CASCADE'),
    value: { type: DataTypes.SMALLINT, allowNull: false },
    ...timestamps,
  });
  await check('question_votes', 'value', 'value IN (-1, 1)');
  await qi.addIndex('question_votes', ['question_id', 'user_id'], { unique: true });
  await qi.createTable('answer_votes', {
    id,
    answer_id: ref('answers'),
    user_id: user(false, 'CASCADE'),
    value: { type: DataTypes.SMALLINT, allowNull: false },
    ...timestamps,
  });
  await check('answer_votes', 'value', 'value IN (-1, 1)');
  await qi.addIndex('answer_votes', ['answer_id', 'user_id'], { unique: true });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeConstraint('questions', 'questions_accepted_answer_id_fkey');
  for (const table of [
    'answer_votes',
    'question_votes',
    'answers',
    'questions',
    'document_attachments',
    'document_feedback',
    'document_versions',
    'documents',
    'knowledge_categories',
  ]) {
    await qi.dropTable(table);
  }
}
