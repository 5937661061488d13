import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import type { Actor } from '../../src/tenancy/request-context';
import { AuditService } from '../audit';
import { Attachment } from './attachment.entity';
import { AttachmentErrors } from './attachments.errors';
import { AttachmentsRepository } from './attachments.repository';
import { sniffContentType } from './content-sniffer';
import { AttachmentView, UploadAttachmentDto } from './dto/attachment.dto';
import { FILE_STORAGE, FileStorage } from './storage/file-storage';

/** What multer hands over (memory storage). */
export interface UploadedFileLike {
  originalname: string;
  buffer: Buffer;
  size: number;
}

export function toAttachmentView(a: Attachment): AttachmentView {
  return {
    id: a.id,
    filename: a.filename,
    contentType: a.contentType,
    sizeBytes: a.sizeBytes,
    sha256: a.sha256,
    ownerEntity: a.ownerEntity,
    ownerId: a.ownerId,
    enterpriseId: a.enterpriseId,
    uploadedBy: a.uploadedBy,
    createdAt: a.createdAt.toISOString(),
  };
}

/** A display name without path parts or control characters; the extension matches the content. */
export function cleanFilename(original: string, extension: string): string {
  const base = original.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  let name = base.replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '').trim().slice(0, 200);
  if (!name || name.startsWith('.')) name = `附件${name}`;
  const lower = name.toLowerCase();
  const ok = lower.endsWith(`.${extension}`) || (extension === 'jpg' && lower.endsWith('.jpeg'));
  return ok ? name : `${name}.${extension}`;
}

/** Content-Disposition with an ASCII fallback and the real (often Chinese) name as RFC 5987 filename*. */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger('AttachmentsService');

  constructor(
    private readonly repository: AttachmentsRepository,
    private readonly audit: AuditService,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
  ) {}

  /** Sniffs, hashes and stores the bytes, then records the metadata; a failed record removes the file. */
  async upload(actor: Actor, file: UploadedFileLike | undefined, dto: UploadAttachmentDto): Promise<AttachmentView> {
    if (!file) throw new AppException(AttachmentErrors.FILE_REQUIRED);
    if (file.size === 0 || file.buffer.length === 0) throw new AppException(AttachmentErrors.EMPTY_FILE);
    if ((dto.ownerEntity === undefined) !== (dto.ownerId === undefined)) {
      throw new AppException(AttachmentErrors.OWNER_INCOMPLETE);
    }
    const sniffed = sniffContentType(file.buffer, file.originalname);
    if (!sniffed) throw new AppException(AttachmentErrors.UNSUPPORTED_TYPE);
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const now = new Date();
    const key = `${actor.tenantId ?? 'province'}/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${randomUUID()}`;
    try {
      await this.storage.put(key, file.buffer, sniffed.contentType);
    } catch (e) {
      this.logger.error({ err: e, key }, 'storage put failed');
      throw new AppException(AttachmentErrors.STORAGE_FAILED);
    }
    try {
      return await this.record(actor, {
        filename: cleanFilename(file.originalname, sniffed.extension),
        contentType: sniffed.contentType,
        sizeBytes: file.buffer.length,
        sha256,
        storageKey: key,
        ownerEntity: dto.ownerEntity ?? null,
        ownerId: dto.ownerId ?? null,
        enterpriseId: actor.scope === 'enterprise' ? actor.enterpriseId! : null,
        uploadedBy: actor.userId,
      });
    } catch (e) {
      await this.storage.delete(key).catch(() => undefined);
      throw e;
    }
  }

  @Transactional()
  private async record(_actor: Actor, values: Omit<Attachment, 'id' | 'tenantId' | 'createdAt'>): Promise<AttachmentView> {
    const saved = await this.repository.insert(values);
    const view = toAttachmentView(saved);
    await this.audit.record({ entity: 'attachment', entityId: saved.id, action: 'upload', after: { ...view } });
    return view;
  }

  @Transactional()
  async get(actor: Actor, id: string): Promise<AttachmentView> {
    return toAttachmentView(await this.requireVisible(actor, id));
  }

  /** Metadata checked in a transaction; the bytes stream after it. */
  async open(actor: Actor, id: string): Promise<{ view: AttachmentView; stream: Readable }> {
    const found = await this.findForDownload(actor, id);
    try {
      return { view: toAttachmentView(found), stream: await this.storage.get(found.storageKey) };
    } catch (e) {
      this.logger.error({ err: e, id }, 'storage get failed');
      throw new AppException(AttachmentErrors.STORAGE_FAILED);
    }
  }

  @Transactional()
  private async findForDownload(actor: Actor, id: string): Promise<Attachment> {
    return this.requireVisible(actor, id);
  }

  // ---- for other modules (run in the caller's @Transactional() context)

  /** The attachment in the current college, or 404 (another college's id is never revealed). */
  async requireInTenant(id: string): Promise<AttachmentView> {
    const found = await this.repository.findInTenant(id);
    if (!found) throw new AppException(AttachmentErrors.NOT_FOUND);
    return toAttachmentView(found);
  }

  async findInTenant(id: string): Promise<AttachmentView | null> {
    const found = await this.repository.findInTenant(id);
    return found ? toAttachmentView(found) : null;
  }

  /** Ties a file to the record it documents; `enterpriseId` lets that enterprise's users download it. */
  async linkOwner(id: string, ownerEntity: string, ownerId: string, enterpriseId: string | null): Promise<void> {
    await this.requireInTenant(id);
    await this.repository.setOwner(id, ownerEntity, ownerId, enterpriseId);
  }

  /**
   * College and province users see every file of their scope (RLS); enterprise users only
   * the files that concern their own enterprise.
   */
  private async requireVisible(actor: Actor, id: string): Promise<Attachment> {
    const found = await this.repository.findVisible(id);
    if (!found) throw new AppException(AttachmentErrors.NOT_FOUND);
    if (actor.scope === 'enterprise' && found.enterpriseId !== actor.enterpriseId) throw new AppException(AttachmentErrors.NOT_FOUND);
    return found;
  }
}
