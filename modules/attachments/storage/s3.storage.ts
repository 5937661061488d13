import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { assertStorageKey, FileStorage } from './file-storage';

export interface S3Options {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

export class S3StorageError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Streams at or above this size go up as a multipart upload (lib-storage), in parts of this size. */
export const S3_PART_BYTES = 8 * 1024 * 1024;

const statusOf = (e: unknown): number | undefined => (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;

/**
 * S3-compatible object storage through the AWS SDK v3 (issue 10): SigV4 signing, retries
 * (`maxAttempts`), multipart upload of large streams (`@aws-sdk/lib-storage`) and presigned
 * download URLs. Checksums only where the API requires them, for MinIO/OSS compatibility.
 */
export class S3Storage implements FileStorage {
  readonly client: S3Client;

  constructor(
    private readonly options: S3Options,
    client?: S3Client,
  ) {
    this.client =
      client ??
      new S3Client({
        endpoint: options.endpoint,
        region: options.region,
        credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
        forcePathStyle: options.forcePathStyle,
        maxAttempts: 3,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
  }

  /** The object's URL (unsigned); the key is checked, never what a client typed. */
  urlOf(key: string): URL {
    assertStorageKey(key);
    const base = new URL(this.options.endpoint);
    const path = base.pathname.replace(/\/$/, '');
    if (this.options.forcePathStyle) return new URL(`${base.protocol}//${base.host}${path}/${encodeURIComponent(this.options.bucket)}/${key}`);
    return new URL(`${base.protocol}//${this.options.bucket}.${base.host}${path}/${key}`);
  }

  private async run<T>(what: string, key: string, fn: () => Promise<T>): Promise<T> {
    assertStorageKey(key);
    try {
      return await fn();
    } catch (e) {
      const status = statusOf(e);
      throw new S3StorageError(`S3 ${what} ${key} failed${status ? ` (${status})` : ''}: ${(e as Error).name}`, status);
    }
  }

  async put(key: string, data: Buffer | Readable, contentType: string, size?: number): Promise<void> {
    const params = { Bucket: this.options.bucket, Key: key, Body: data, ContentType: contentType };
    if (Buffer.isBuffer(data) || (size !== undefined && size < S3_PART_BYTES)) {
      await this.run('PUT', key, () => this.client.send(new PutObjectCommand({ ...params, ContentLength: size ?? (data as Buffer).length })));
      return;
    }
    await this.run('PUT (multipart)', key, () => new Upload({ client: this.client, params, partSize: S3_PART_BYTES, queueSize: 2 }).done());
  }

  async get(key: string): Promise<Readable> {
    const res = await this.run('GET', key, () => this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key })));
    return (res.Body as Readable | undefined) ?? Readable.from([]);
  }

  async delete(key: string): Promise<void> {
    try {
      await this.run('DELETE', key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key })));
    } catch (e) {
      if (e instanceof S3StorageError && e.status === 404) return; // already gone
      throw e;
    }
  }

  /** A time-limited GET URL for a direct download (SigV4 query signing). */
  async presignedDownloadUrl(key: string, expiresInSeconds = 300, filename?: string): Promise<string> {
    return this.run('PRESIGN', key, () =>
      getSignedUrl(
        this.client,
        new GetObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          ...(filename ? { ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(filename)}` } : {}),
        }),
        { expiresIn: expiresInSeconds },
      ),
    );
  }
}
