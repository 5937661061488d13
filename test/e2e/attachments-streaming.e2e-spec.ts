import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';

const MB = 1024 * 1024;
const FILE_BYTES = 19 * MB;
const IN_FLIGHT = 3;

/**
 * Issue 8 item 11: uploads stream to storage. The client side streams too (a generator,
 * 64 KiB at a time), so the memory measured is the server's.
 */
describe('attachments: streamed uploads (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let staff: string;
  let port: number;

  beforeAll(async () => {
    process.env.ATTACHMENT_MAX_BYTES = String(20 * MB);
    process.env.ATTACHMENT_MAX_IN_FLIGHT = String(IN_FLIGHT);
    t = await bootApp();
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    f = await IdentityFactory.open();
    const college = await f.tenant({ name: '上传流测试技师学院' });
    staff = (await login(t, (await f.member('college-staff', { tenantId: college })).email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    delete process.env.ATTACHMENT_MAX_BYTES;
    delete process.env.ATTACHMENT_MAX_IN_FLIGHT;
    await f.close();
    await t.close();
  });

  /** A multipart body of `size` bytes of PDF, produced lazily; resolves with the status, headers and body. */
  function streamUpload(size: number): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
    const boundary = `----jishi${Math.random().toString(16).slice(2)}`;
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const payload = size - 9;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    async function* body() {
      yield head;
      for (let sent = 0; sent < payload; sent += chunk.length) yield chunk.subarray(0, Math.min(chunk.length, payload - sent));
      yield tail;
    }
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/attachments',
          headers: { ...bearer(staff), 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + payload + tail.length },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(Buffer.concat(parts).toString() || '{}') }));
        },
      );
      req.on('error', reject);
      Readable.from(body()).pipe(req);
    });
  }

  it(`ten 19 MB uploads at once: at most ${IN_FLIGHT} are streamed, the rest answer 503 with Retry-After, and memory stays far below the bytes sent`, async () => {
    const base = process.memoryUsage();
    let peak = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.arrayBuffers - base.arrayBuffers + (m.heapUsed - base.heapUsed));
    }, 10);
    const results = await Promise.all(Array.from({ length: 10 }, () => streamUpload(FILE_BYTES)));
    clearInterval(sampler);
    const created = results.filter((r) => r.status === 201);
    const busy = results.filter((r) => r.status === 503);
    expect(created.length + busy.length).toBe(10);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(created.length).toBeLessThanOrEqual(IN_FLIGHT);
    for (const r of created) expect(r.body).toMatchObject({ sizeBytes: FILE_BYTES, contentType: 'application/pdf' });
    for (const r of busy) {
      expect(r.body.code).toBe('ATTACHMENTS.UPLOADS_BUSY');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Buffered uploads would hold ≥ 3 × 19 MB at once; streamed ones hold a few chunks each.
    expect(peak).toBeLessThan(40 * MB);
  });

  it('the size limit is enforced while streaming: one byte over 20 MB is 413 and no file or row remains', async () => {
    const before = (await f.provinceQuery('SELECT count(*)::int AS n FROM attachments')).rows[0].n;
    const over = await streamUpload(20 * MB + 1);
    expect(over.status).toBe(413);
    expect(over.body.code).toBe('ATTACHMENTS.TOO_LARGE');
    expect((await f.provinceQuery('SELECT count(*)::int AS n FROM attachments')).rows[0].n).toBe(before);
    const atLimit = await streamUpload(20 * MB);
    expect(atLimit.status).toBe(201);
  });

  it('after a burst the gate is free again: a single upload is accepted', async () => {
    const one = await streamUpload(MB);
    expect(one.status).toBe(201);
  });
});
