import { DataTypes, type Model } from 'sequelize';

/**
 * The columns a ticket's `attachments` and a document's `document_attachments` have in common: everything but
 * `id` and the owner's key (`ticketId`, `documentId`), which each model declares first. The tables stay two
 * (see the migrations); only the definition is shared. Returns fresh objects on every call, because Sequelize
 * writes the model and column name into each attribute definition it is given.
 */
export function attachmentColumns() {
  return {
    uploaderId: { type: DataTypes.UUID, allowNull: false },
    filename: { type: DataTypes.TEXT, allowNull: false },
    contentType: { type: DataTypes.TEXT, allowNull: false },
    size: {
      type: DataTypes.BIGINT,
      allowNull: false,
      // pg returns BIGINT as a string; attachments stay far below 2^53 bytes.
      get(this: Model) {
        return Number(this.getDataValue('size'));
      },
    },
    objectKey: { type: DataTypes.TEXT, allowNull: false },
    sha256: { type: DataTypes.TEXT, allowNull: false },
    createdAt: DataTypes.DATE,
  };
}
