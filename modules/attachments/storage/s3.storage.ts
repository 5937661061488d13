import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { assertStorageKey, FileStorage } from './file-storage';
import { sha256Hex, signV4, SigV4Credentials, uriEncode } from './sigv4';

export interface S3Options extends SigV4Credentials {
  endpoint: string;
  bucket: string;
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

/** S3-compatible object storage over plain fetch, signed with SigV4 (no SDK). */
export class S3Storage implements FileStorage {
  constructor(
    private readonly options: S3Options,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  urlOf(key: string): URL {
    assertStorageKey(key);
    const base = new URL(this.options.endpoint);
    const path = base.pathname.replace(/\/$/, '');
    if (this.options.forcePathStyle) return new URL(`${base.protocol}//${base.host}${path}/${uriEncode(this.options.bucket, false)}/${key}`);
    return new URL(`${base.protocol}//${this.options.bucket}.${base.host}${path}/${key}`);
  }

  private async send(method: string, key: string, body?: Buffer | Readable, contentType?: string, size?: number): Promise<Response> {
    const url = this.urlOf(key);
    const streamed = body !== undefined && !Buffer.isBuffer(body);
    if (streamed && size === undefined) throw new S3StorageError(`S3 ${method} ${key}: a streamed body needs its size`);
    const signed: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    if (streamed) signed['content-length'] = String(size);
    const headers = signV4(
      {
        method,
        url,
        headers: signed,
        // a stream is sent as it is read: its hash is not known before the request starts
        payloadHash: streamed ? 'UNSIGNED-PAYLOAD' : sha256Hex((body as Buffer | undefined) ?? ''),
      },
      this.options,
    );
    delete headers.host; // fetch sets it
    const init: RequestInit & { duplex?: 'half' } = streamed
      ? { method, headers, body: Readable.toWeb(body as Readable) as unknown as RequestInit["body"], duplex: 'half' }
      : { method, headers, body: body ? new Uint8Array(body as Buffer) : undefined };
    const res = await this.fetchFn(url, init);
    if (!res.ok && !(method === 'DELETE' && res.status === 404)) {
      throw new S3StorageError(`S3 ${method} ${key} answered ${res.status}`, res.status);
    }
    return res;
  }

  async put(key: string, data: Buffer | Readable, contentType: string, size?: number): Promise<void> {
    const res = await this.send('PUT', key, data, contentType, size);
    await res.arrayBuffer();
  }

  async get(key: string): Promise<Readable> {
    const res = await this.send('GET', key);
    if (!res.body) return Readable.from([]);
    return Readable.fromWeb(res.body as unknown as WebReadableStream);
  }

  async delete(key: string): Promise<void> {
    const res = await this.send('DELETE', key);
    await res.arrayBuffer();
  }
}
