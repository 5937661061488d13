import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../../config/app-config';
import { validationExceptionFactory } from '../../src/errors/validation.factory';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AttachmentOwners } from './attachment-owners';
import { receiveUpload, SpooledFile, UploadGate } from './upload-stream';
import { AppException } from '../../src/errors/app.exception';
import type { Actor } from '../../src/tenancy/request-context';
import { AuditService } from '../audit';
import { Attachment } from './attachment.entity';
import { AttachmentErrors } from './attachments.errors';
import { AttachmentsRepository } from './attachments.repository';
import { loadSniffer, sniffFile } from './content-sniffer';
import { AttachmentView, UploadAttachmentDto } from './dto/attachment.dto';
import { FILE_STORAGE, FileStorage } from './storage/file-storage';

const UPLOAD_RETRY_SECONDS = 5;

/** The multipart text fields, validated as the global pipe would a JSON body. */
async function validatedUploadFields(fields: Record<string, string>): Promise<UploadAttachmentDto> {
  const dto = plainToInstance(UploadAttachmentDto, fields);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw validationExceptionFactory(errors);
  return dto;
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
export class AttachmentsService implements OnModuleInit {
  private readonly logger = new Logger('AttachmentsService');

  constructor(
    private readonly repository: AttachmentsRepository,
    private readonly audit: AuditService,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly owners: AttachmentOwners,
    private readonly config: AppConfig,
    private readonly context: TenantContext,
  ) {
    this.gate = new UploadGate(config.ATTACHMENT_MAX_IN_FLIGHT);
  }

  /** file-type is loaded at start, not by the first upload (its latency and memory belong to boot). */
  async onModuleInit(): Promise<void> {
    await loadSniffer();
  }

  private readonly gate: UploadGate;

  /**
   * Issue 8 item 11: the multipart body streams to a spool file (hashed and counted on the
   * way, the size limit enforced while streaming), is sniffed by file-type (reading only what it
   * needs), then streamed to storage; at most ATTACHMENT_MAX_IN_FLIGHT uploads per
   * process at once, beyond which the answer is 503 with Retry-After before the body is read.
   */
  async uploadFromRequest(actor: Actor, req: IncomingMessage): Promise<AttachmentView> {
    const leave = this.gate.tryEnter();
    if (!leave) {
      req.resume();
      throw new AppException(AttachmentErrors.UPLOADS_BUSY, { seconds: UPLOAD_RETRY_SECONDS }, [], { 'Retry-After': String(UPLOAD_RETRY_SECONDS) });
    }
    let spooled: SpooledFile | undefined;
    try {
      const received = await receiveUpload(req, { maxBytes: this.config.ATTACHMENT_MAX_BYTES });
      spooled = received.file;
      const dto = await validatedUploadFields(received.fields);
      return await this.storeSpooled(actor, spooled, dto);
    } finally {
      leave();
      if (spooled) await rm(spooled.path, { force: true });
    }
  }

  private async storeSpooled(actor: Actor, file: SpooledFile | undefined, dto: UploadAttachmentDto): Promise<AttachmentView> {
    if (!file) throw new AppException(AttachmentErrors.FILE_REQUIRED);
    if (file.size === 0) throw new AppException(AttachmentErrors.EMPTY_FILE);
    if ((dto.ownerEntity === undefined) !== (dto.ownerId === undefined)) {
      throw new AppException(AttachmentErrors.OWNER_INCOMPLETE);
    }
    if (dto.ownerEntity && !this.owners.get(dto.ownerEntity)) throw new AppException(AttachmentErrors.OWNER_TYPE_UNKNOWN, { ownerEntity: dto.ownerEntity });
    const sniffed = await sniffFile(file.path, file.size, file.originalname);
    if (!sniffed) throw new AppException(AttachmentErrors.UNSUPPORTED_TYPE);
    const now = new Date();
    const key = `${actor.tenantId ?? 'province'}/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${randomUUID()}`;
    try {
      await this.storage.put(key, createReadStream(file.path), sniffed.contentType, file.size);
    } catch (e) {
      this.logger.error({ err: e, key }, 'storage put failed');
      throw new AppException(AttachmentErrors.STORAGE_FAILED);
    }
    try {
      return await this.record(actor, dto, {
        filename: cleanFilename(file.originalname, sniffed.extension),
        contentType: sniffed.contentType,
        sizeBytes: file.size,
        sha256: file.sha256,
        storageKey: key,
        ownerEntity: null,
        ownerId: null,
        enterpriseId: actor.scope === 'enterprise' ? actor.enterpriseId! : null,
        uploadedBy: actor.userId,
      });
    } catch (e) {
      await this.storage.delete(key).catch(() => undefined);
      throw e;
    }
  }

  /** The owner named at upload must exist and be writable by the uploader (issue 9 item 2), checked in the same transaction. */
  @Transactional()
  private async record(actor: Actor, dto: UploadAttachmentDto, values: Omit<Attachment, 'id' | 'tenantId' | 'createdAt'>): Promise<AttachmentView> {
    if (dto.ownerEntity && dto.ownerId) {
      const owner = await this.owners.get(dto.ownerEntity)!(actor, dto.ownerId).catch((e: unknown) => {
        if (e instanceof AppException && e.status < 500) return null;
        throw e;
      });
      if (!owner) throw new AppException(AttachmentErrors.OWNER_NOT_FOUND);
      Object.assign(values, { ownerEntity: dto.ownerEntity, ownerId: dto.ownerId, enterpriseId: owner.enterpriseId ?? values.enterpriseId });
    }
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

  /**
   * Ties a file to the record it documents (issue 9 item 2, ADR 0008): only the principal
   * who uploaded it, only once (again to the same record is a no-op), in the current
   * college; the caller has already checked that the actor may write the record.
   * `enterpriseId` lets that enterprise's users download it. Anything else is refused as if
   * the file did not exist (the caller's own 422).
   */
  async claim(id: string, ownerEntity: string, ownerId: string, enterpriseId: string | null): Promise<AttachmentView | null> {
    const actor = this.context.requireActor();
    const claimed = await this.repository.claim(id, actor.userId, ownerEntity, ownerId, enterpriseId);
    return claimed ? toAttachmentView(claimed) : null;
  }

  /** claim() or the module-neutral 422 ATTACHMENTS.NOT_CLAIMABLE. */
  async requireClaim(id: string, ownerEntity: string, ownerId: string, enterpriseId: string | null): Promise<AttachmentView> {
    const claimed = await this.claim(id, ownerEntity, ownerId, enterpriseId);
    if (!claimed) throw new AppException(AttachmentErrors.NOT_CLAIMABLE, { id });
    return claimed;
  }

  /** For references that do not take ownership (certificates, cooperation evidence): the file must be visible to the actor. */
  async visibleTo(actor: Actor, id: string): Promise<AttachmentView | null> {
    const found = await this.repository.findVisible(id);
    if (!found || (actor.scope === 'enterprise' && found.enterpriseId !== actor.enterpriseId)) return null;
    if (actor.scope === 'province' && found.tenantId !== null) return null;
    return toAttachmentView(found);
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
