import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Middleware } from 'koa';
import { koaBody } from 'koa-body';
import { AppError } from '../../domain/errors';
import type { ObjectStorage } from '../../infra/storage';
import type { AppContext, AppState } from './state';
import { z } from './zod';

/** The stored-file part of every attachment's JSON (after its id and owner), and its schema. */
export const presentStoredFile = (a: { filename: string; size: number; contentType: string; createdAt: Date }) => ({
  filename: a.filename,
  size: a.size,
  contentType: a.contentType,
  createdAt: a.createdAt.toISOString(),
});
export const storedFileFields = {
  filename: z.string(),
  size: z.number().int(),
  contentType: z.string(),
  createdAt: z.string(),
};

/** Content types accepted as attachments: documents, images, text and archives; never HTML or scripts. */
export const ALLOWED_TYPES = new Set([
  'application/pdf',
  'application/zip',
  'application/json',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'message/rfc822',
]);

/** How long a signed download URL stays valid. */
export const SIGNED_URL_SECONDS = 60;

/** A file as the multipart parser left it on disk. */
export interface UploadedFile {
  filepath: string;
  originalFilename: string | null;
  mimetype: string | null;
  size: number;
}

/** Parses one multipart file within the upload limit; a larger file is a 413. For upload routes only. */
export function multipartFile(limitBytes: number): Middleware<AppState> {
  return koaBody({
    multipart: true,
    json: false,
    urlencoded: false,
    text: false,
    formidable: { maxFileSize: limitBytes, maxFiles: 1, maxFields: 5, allowEmptyFiles: false },
    onError: (err) => {
      const e = err as Error & { httpCode?: number };
      if (e.httpCode === 413 || /maxFileSize|too large|exceeded/i.test(e.message)) {
        throw new AppError(413, 'payload_too_large', `Attachments may be at most ${limitBytes} bytes.`);
      }
      throw new AppError(400, 'malformed_body', `The multipart body could not be read: ${e.message}`);
    },
  });
}

/** The file of the multipart field `file`, if any. */
export const fileOf = (ctx: AppContext): UploadedFile | undefined => {
  const file = (ctx.request as { files?: Record<string, unknown> }).files?.file;
  return (Array.isArray(file) ? file[0] : file) as UploadedFile | undefined;
};

export interface StoredUpload {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

/**
 * Checks an uploaded file (present: else 400; an accepted type: else 415) and streams it to object storage
 * under `objectKey`. Callers write their database row afterwards, so a failed upload leaves no dangling row.
 */
export async function storeUpload(
  storage: ObjectStorage,
  objectKey: string,
  file: UploadedFile | undefined,
): Promise<StoredUpload> {
  if (!file) {
    throw new AppError(400, 'validation_failed', 'The request is not valid.', [
      { path: 'body.file', message: 'a file is required (multipart field "file")' },
    ]);
  }
  const contentType = (file.mimetype ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
  if (!ALLOWED_TYPES.has(contentType)) {
    throw new AppError(415, 'unsupported_media_type', `Files of type ${contentType} are not accepted.`);
  }
  const size = (await stat(file.filepath)).size;
  const sha256 = await hashFile(file.filepath);
  await storage.put(objectKey, createReadStream(file.filepath), size, contentType);
  return { filename: sanitizeFilename(file.originalFilename ?? 'file'), contentType, size, sha256 };
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

/** Keeps the name a person gave the file, without path parts or control characters. */
export function sanitizeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  const clean = [...base]
    .filter((c) => c.charCodeAt(0) > 0x1f && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .slice(0, 255);
  return clean === '' || clean === '.' || clean === '..' ? 'file' : clean;
}
