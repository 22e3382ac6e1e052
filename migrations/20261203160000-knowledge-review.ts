import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * Publishing with review: the `in_review` status, who submitted and who reviewed (with the reviewer's
 * comment, kept when a review sends the document back to draft), and when the owner was reminded that the
 * review date came.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const user = { type: DataTypes.UUID, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' };
  await qi.sequelize.query('ALTER TABLE documents DROP CONSTRAINT documents_status_check');
  await qi.sequelize.query(
    "ALTER TABLE documents ADD CONSTRAINT documents_status_check CHECK (status IN ('draft','in_review','published','archived'))",
  );
  await qi.addColumn('documents', 'submitted_at', { type: DataTypes.DATE });
  await qi.addColumn('documents', 'submitted_by', user);
  await qi.addColumn('documents', 'reviewed_at', { type: DataTypes.DATE });
  await qi.addColumn('documents', 'reviewed_by', user);
  await qi.addColumn('documents', 'review_comment', { type: DataTypes.TEXT });
  await qi.addColumn('documents', 'review_reminded_at', { type: DataTypes.DATE });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  // Documents in review go back to draft: the older schema has no review.
  await qi.sequelize.query("UPDATE documents SET status = 'draft' WHERE status = 'in_review'");
  for (const column of [
    'review_reminded_at',
    'review_comment',
    'reviewed_by',
    'reviewed_at',
    'submitted_by',
    'submitted_at',
  ]) {
    await qi.removeColumn('documents', column);
  }
  await qi.sequelize.query('ALTER TABLE documents DROP CONSTRAINT documents_status_check');
  await qi.sequelize.query(
    "ALTER TABLE documents ADD CONSTRAINT documents_status_check CHECK (status IN ('draft','published','archived'))",
  );
}
