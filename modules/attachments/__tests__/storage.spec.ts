import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../../config/app-config';
import { storageFromConfig } from '../attachments.module';
import { LocalDiskStorage } from '../storage/local-disk.storage';
import { S3_PART_BYTES, S3Storage, S3StorageError } from '../storage/s3.storage';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';

const read = async (s: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
};

describe('attachment storage behind an interface', () => {
  it('SigV4 (the SDK signer used by S3Storage) reproduces the AWS documented S3 GET Object example', async () => {
    // docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html, "GET Object"
    const bytes = (d: string | ArrayBuffer | ArrayBufferView): Buffer =>
      typeof d === 'string' ? Buffer.from(d) : ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d);
    class NodeSha256 {
      private readonly h;
      constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
        this.h = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
      }
      update(data: string | ArrayBuffer | ArrayBufferView) {
        this.h.update(bytes(data));
      }
      async digest() {
        return new Uint8Array(this.h.digest());
      }
      reset() {}
    }
    const signer = new SignatureV4({
      service: 's3',
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      sha256: NodeSha256,
      uriEscapePath: false,
    });
    const signed = await signer.sign(
      {
        method: 'GET',
        protocol: 'https:',
        hostname: 'examplebucket.s3.amazonaws.com',
        path: '/test.txt',
        headers: { host: 'examplebucket.s3.amazonaws.com', range: 'bytes=0-9', 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      },
      { signingDate: new Date('2013-05-24T00:00:00Z') },
    );
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('S3 storage (AWS SDK) puts, gets and deletes SigV4-signed objects path style, streams a body, presigns a download, and fails loudly on an error status', async () => {
    const calls: { method: string; url: string; headers: Record<string, string | string[] | undefined> }[] = [];
    const objects = new Map<string, Buffer>();
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      calls.push({ method: req.method!, url: req.url!, headers: req.headers });
      const key = req.url!.split('?')[0];
      if (req.method === 'PUT') {
        objects.set(key, Buffer.concat(chunks));
        res.writeHead(200, { etag: '"e"' }).end();
      } else if (req.method === 'GET' && objects.has(key)) res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(objects.get(key));
      else if (req.method === 'DELETE') res.writeHead(objects.delete(key) ? 204 : 404).end();
      else res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code><Message>none</Message></Error>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const s3 = new S3Storage({ endpoint, bucket: 'jishi-files', region: 'cn-south-1', accessKeyId: 'AK', secretAccessKey: 'SK', forcePathStyle: true });
      const bytes = Buffer.from('%PDF-1.4 合作协议');
      await s3.put('tenant-a/2026/03/abc', bytes, 'application/pdf');
      expect(calls[0]).toMatchObject({ method: 'PUT', url: expect.stringMatching(/^\/jishi-files\/tenant-a\/2026\/03\/abc(\?|$)/) });
      expect(calls[0].headers['content-type']).toBe('application/pdf');
      expect(String(calls[0].headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AK\/\d{8}\/cn-south-1\/s3\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
      expect(Buffer.compare(await read(await s3.get('tenant-a/2026/03/abc')), bytes)).toBe(0);
      // a stream below the part size goes up as one PUT with its length
      await s3.put('tenant-a/2026/03/def', Readable.from([bytes]), 'application/pdf', bytes.length);
      expect(Buffer.compare(objects.get('/jishi-files/tenant-a/2026/03/def')!, bytes)).toBe(0);
      await s3.delete('tenant-a/2026/03/abc');
      await s3.delete('tenant-a/2026/03/abc'); // already gone: 404 is fine for a delete
      await expect(s3.get('tenant-a/2026/03/abc')).rejects.toBeInstanceOf(S3StorageError);
      const url = new URL(await s3.presignedDownloadUrl('tenant-a/2026/03/def', 60, '合作协议.pdf'));
      expect(url.pathname).toBe('/jishi-files/tenant-a/2026/03/def');
      expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
      expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
      // a key is never what a client typed
      expect(() => s3.urlOf('../etc/passwd')).toThrow();
      await expect(s3.get('../etc/passwd')).rejects.toThrow();
      // virtual-hosted style
      const vhost = new S3Storage({ endpoint: 'https://oss.example.cn', bucket: 'jishi', region: 'r', accessKeyId: 'a', secretAccessKey: 's', forcePathStyle: false });
      expect(String(vhost.urlOf('t/1'))).toBe('https://jishi.oss.example.cn/t/1');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('S3 storage sends a stream of the part size or more as a multipart upload (lib-storage) and one below it as a single PUT', async () => {
    const requests: string[] = [];
    const parts = new Map<number, Buffer>();
    let assembled: Buffer | undefined;
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const url = new URL(req.url!, 'http://x');
      requests.push(`${req.method} ${[...url.searchParams.keys()].sort().join('&')}`);
      if (req.method === 'POST' && url.searchParams.has('uploads'))
        return res.writeHead(200, { 'content-type': 'application/xml' }).end('<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>U1</UploadId></InitiateMultipartUploadResult>');
      if (req.method === 'PUT' && url.searchParams.has('partNumber')) {
        parts.set(Number(url.searchParams.get('partNumber')), Buffer.concat(chunks));
        return res.writeHead(200, { etag: `"p${url.searchParams.get('partNumber')}"` }).end();
      }
      if (req.method === 'POST' && url.searchParams.has('uploadId')) {
        assembled = Buffer.concat([...parts.keys()].sort((a, b) => a - b).map((n) => parts.get(n)!));
        return res.writeHead(200, { 'content-type': 'application/xml' }).end('<CompleteMultipartUploadResult><Key>k</Key><ETag>"e"</ETag></CompleteMultipartUploadResult>');
      }
      if (req.method === 'PUT') return res.writeHead(200, { etag: '"e"' }).end();
      res.writeHead(400).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const s3 = new S3Storage({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bucket: 'b', region: 'r', accessKeyId: 'a', secretAccessKey: 's', forcePathStyle: true });
      const big = Buffer.alloc(S3_PART_BYTES + 1024, 7);
      await s3.put('t/2026/03/big', Readable.from([big.subarray(0, 1_000_000), big.subarray(1_000_000)]), 'application/pdf', big.length);
      expect(requests.filter((r) => r.startsWith('PUT partNumber'))).toHaveLength(2);
      expect(requests[0]).toMatch(/^POST .*uploads/);
      expect(Buffer.compare(assembled!, big)).toBe(0);
      requests.length = 0;
      const small = Buffer.alloc(S3_PART_BYTES - 1, 1);
      await s3.put('t/2026/03/small', Readable.from([small]), 'application/pdf', small.length);
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatch(/^PUT (x-id)?$/);
    } finally {
      await new Promise((r) => server.close(r));
    }
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
