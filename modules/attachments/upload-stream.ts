import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { AppException } from '../../src/errors/app.exception';
import { CommonErrors } from '../../src/errors/common.errors';
import { AttachmentErrors } from './attachments.errors';

/** One file received from a multipart body, spooled to a temporary file while hashed and counted. */
export interface SpooledFile {
  originalname: string;
  path: string;
  size: number;
  sha256: string;
}

export interface ReceivedUpload {
  fields: Record<string, string>;
  file?: SpooledFile;
}

export interface UploadLimits {
  maxBytes: number;
  /** where the spool files go (default: the OS temporary directory) */
  spoolDir?: string;
}

const tooLarge = (maxBytes: number) => new AppException(AttachmentErrors.TOO_LARGE, { maxMb: Math.round((maxBytes / 1048576) * 10) / 10 });

/**
 * Issue 8 item 11: the multipart body streams through busboy into a temporary file; the
 * bytes are hashed and counted on the way and never held in memory as a whole. The size
 * limit is enforced while streaming: the moment a file passes it the spool file is removed
 * and the rest of the request is drained (read and discarded), then 413.
 */
export function receiveUpload(req: IncomingMessage, limits: UploadLimits): Promise<ReceivedUpload> {
  const declared = Number(req.headers['content-length']);
  // A body that says up front it is too large (file plus a generous 64 KiB of form overhead) is refused unread.
  if (Number.isFinite(declared) && declared > limits.maxBytes + 65_536) {
    req.resume();
    return Promise.reject(tooLarge(limits.maxBytes));
  }
  return new Promise<ReceivedUpload>((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      // busboy signals "limit" on reaching fileSize: one byte more than allowed is the first size refused
      const busboyLimits = { fileSize: limits.maxBytes + 1, files: 1, fields: 10, parts: 12, fieldSize: 4096 };
      bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: busboyLimits });
    } catch {
      req.resume();
      reject(new AppException(AttachmentErrors.FILE_REQUIRED));
      return;
    }
    const fields: Record<string, string> = {};
    let file: SpooledFile | undefined;
    let writing: Promise<void> | undefined;
    let failed: unknown;
    const spoolPaths: string[] = [];

    const fail = (e: unknown) => {
      if (failed) return;
      failed = e;
      req.unpipe(bb);
      req.resume(); // drain what the client still sends, without keeping it
      void Promise.allSettled([writing ?? Promise.resolve()]).then(async () => {
        await Promise.all(spoolPaths.map((p) => rm(p, { force: true })));
        reject(e);
      });
    };

    bb.on('field', (name, value) => {
      if (!Object.prototype.hasOwnProperty.call(fields, name)) fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || writing) {
        stream.resume();
        return;
      }
      const path = join(limits.spoolDir ?? tmpdir(), `jishi-upload-${randomUUID()}.part`);
      spoolPaths.push(path);
      const hash = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          hash.update(chunk);
          done(null, chunk);
        },
      });
      stream.on('limit', () => {
        const err = tooLarge(limits.maxBytes);
        stream.destroy(err);
        fail(err);
      });
      writing = pipeline(stream, meter, createWriteStream(path, { flags: 'wx', mode: 0o600 })).then(
        () => {
          file = { originalname: info.filename ?? '', path, size, sha256: hash.digest('hex') };
        },
        (e: unknown) => fail(e instanceof AppException ? e : new AppException(CommonErrors.VALIDATION_FAILED, {}, [{ field: 'file', constraint: 'stream', zh: '文件传输中断', en: 'the upload was interrupted' }])),
      );
    });
    bb.on('partsLimit', () => fail(new AppException(AttachmentErrors.FILE_REQUIRED)));
    bb.on('filesLimit', () => undefined);
    bb.on('error', () =>
      fail(new AppException(CommonErrors.VALIDATION_FAILED, {}, [{ field: 'file', constraint: 'multipart', zh: '表单格式错误', en: 'malformed multipart body' }])),
    );
    bb.on('close', () => {
      void (writing ?? Promise.resolve()).then(() => {
        if (failed) return;
        resolve({ fields, file });
      });
    });
    req.on('aborted', () => fail(new AppException(CommonErrors.VALIDATION_FAILED, {}, [{ field: 'file', constraint: 'stream', zh: '文件传输中断', en: 'the upload was interrupted' }])));
    req.pipe(bb);
  });
}

/**
 * A bounded number of uploads in flight per process (ATTACHMENT_MAX_IN_FLIGHT). Beyond it
 * the caller answers 503 with Retry-After at once, before reading the body.
 */
export class UploadGate {
  private inFlight = 0;

  constructor(private readonly max: number) {}

  get current(): number {
    return this.inFlight;
  }

  tryEnter(): (() => void) | null {
    if (this.inFlight >= this.max) return null;
    this.inFlight++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.inFlight--;
    };
  }
}
