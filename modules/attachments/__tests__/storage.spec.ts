import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../../config/app-config';
import { storageFromConfig } from '../attachments.module';
import { LocalDiskStorage } from '../storage/local-disk.storage';
import { S3Storage, S3StorageError } from '../storage/s3.storage';
import { sha256Hex, signV4 } from '../storage/sigv4';

const read = async (s: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
};

describe('attachment storage behind an interface', () => {
  it('SigV4 reproduces the AWS documented S3 GET Object example', () => {
    // docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html, "GET Object"
    const headers = signV4(
      {
        method: 'GET',
        url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
        headers: { Range: 'bytes=0-9' },
        payloadHash: sha256Hex(''),
      },
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' },
      new Date('2013-05-24T00:00:00Z'),
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('S3 storage puts, gets and deletes signed objects (path style), and fails loudly on an error status', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const objects = new Map<string, Buffer>();
    const fakeFetch = (async (url: URL, init: RequestInit) => {
      calls.push({ url: String(url), init });
      const key = String(url);
      if (init.method === 'PUT') objects.set(key, Buffer.from(init.body as Uint8Array));
      if (init.method === 'GET') return objects.has(key) ? new Response(new Uint8Array(objects.get(key)!)) : new Response(null, { status: 404 });
      if (init.method === 'DELETE') return new Response(null, { status: objects.delete(key) ? 204 : 404 });
      return new Response(null, { status: 200 });
    }) as unknown as typeof fetch;
    const s3 = new S3Storage(
      { endpoint: 'http://minio.local:9000', bucket: 'jishi-files', region: 'cn-south-1', accessKeyId: 'AK', secretAccessKey: 'SK', forcePathStyle: true },
      fakeFetch,
    );
    const bytes = Buffer.from('%PDF-1.4 合作协议');
    await s3.put('tenant-a/2026/03/abc', bytes, 'application/pdf');
    expect(calls[0].url).toBe('http://minio.local:9000/jishi-files/tenant-a/2026/03/abc');
    const sent = calls[0].init.headers as Record<string, string>;
    expect(sent['content-type']).toBe('application/pdf');
    expect(sent['x-amz-content-sha256']).toBe(sha256Hex(bytes));
    expect(sent.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AK\/\d{8}\/cn-south-1\/s3\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    expect(Buffer.compare(await read(await s3.get('tenant-a/2026/03/abc')), bytes)).toBe(0);
    await s3.delete('tenant-a/2026/03/abc');
    await s3.delete('tenant-a/2026/03/abc'); // already gone: 404 is fine for a delete
    await expect(s3.get('tenant-a/2026/03/abc')).rejects.toBeInstanceOf(S3StorageError);
    // a key is never what a client typed
    expect(() => s3.urlOf('../etc/passwd')).toThrow();
    // virtual-hosted style
    const vhost = new S3Storage({ endpoint: 'https://oss.example.cn', bucket: 'jishi', region: 'r', accessKeyId: 'a', secretAccessKey: 's', forcePathStyle: false }, fakeFetch);
    expect(String(vhost.urlOf('t/1'))).toBe('https://jishi.oss.example.cn/t/1');
  });

  it('local disk by default; S3 by configuration, refusing to start without its settings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jishi-files-'));
    try {
      const local = storageFromConfig({ STORAGE_DRIVER: 'local', STORAGE_DIR: dir } as AppConfig);
      expect(local).toBeInstanceOf(LocalDiskStorage);
      await local.put('t/2026/03/x', Buffer.from('abc'), 'application/pdf');
      expect((await read(await local.get('t/2026/03/x'))).toString()).toBe('abc');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const s3 = { STORAGE_DRIVER: 's3', S3_ENDPOINT: 'http://minio:9000', S3_BUCKET: 'b', S3_REGION: 'us-east-1', S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 's', S3_FORCE_PATH_STYLE: true };
    expect(storageFromConfig(s3 as unknown as AppConfig)).toBeInstanceOf(S3Storage);
    expect(() => storageFromConfig({ ...s3, S3_BUCKET: undefined, S3_SECRET_ACCESS_KEY: '' } as unknown as AppConfig)).toThrow('STORAGE_DRIVER=s3 needs S3_BUCKET, S3_SECRET_ACCESS_KEY');
  });
});
