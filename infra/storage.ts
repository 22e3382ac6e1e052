import { Client } from 'minio';
import type { Readable } from 'node:stream';
import type { Config } from './config';
import type { ReadinessCheck } from './readiness';

type StorageConfig = Pick<
  Config,
  'S3_ENDPOINT' | 'S3_PORT' | 'S3_USE_SSL' | 'S3_REGION' | 'S3_ACCESS_KEY' | 'S3_SECRET_KEY' | 'S3_BUCKET'
>;

/** S3-compatible object storage through the `minio` client, one bucket for the application's files. */
export class ObjectStorage implements ReadinessCheck {
  readonly name = 'storage';
  readonly client: Client;
  readonly bucket: string;
  private readonly region: string;

  constructor(config: StorageConfig) {
    this.bucket = config.S3_BUCKET;
    this.region = config.S3_REGION;
    this.client = new Client({
      endPoint: config.S3_ENDPOINT,
      port: config.S3_PORT,
      useSSL: config.S3_USE_SSL,
      accessKey: config.S3_ACCESS_KEY,
      secretKey: config.S3_SECRET_KEY,
      region: config.S3_REGION,
      pathStyle: true,
    });
  }

  /** Creates the bucket when it is missing; safe to call at every start. */
  async ensureBucket(): Promise<void> {
    if (await this.client.bucketExists(this.bucket)) return;
    try {
      await this.client.makeBucket(this.bucket, this.region);
    } catch (err) {
      // Another process may have created it between the check and the call.
      if (!(await this.client.bucketExists(this.bucket))) throw err;
    }
  }

  async put(key: string, body: Buffer | Readable, size: number | undefined, contentType: string): Promise<void> {
    await this.client.putObject(this.bucket, key, body, size, { 'Content-Type': contentType });
  }

  async get(key: string): Promise<Readable> {
    return this.client.getObject(this.bucket, key);
  }

  /** A URL that fetches the object without credentials for `expirySeconds`. */
  async signedUrl(key: string, expirySeconds: number, downloadName?: string): Promise<string> {
    const headers = downloadName
      ? { 'response-content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(downloadName)}` }
      : undefined;
    return this.client.presignedGetObject(this.bucket, key, expirySeconds, headers);
  }

  async remove(key: string): Promise<void> {
    await this.client.removeObject(this.bucket, key);
  }

  async ready(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) throw new Error(`bucket ${this.bucket} does not exist`);
  }
}
