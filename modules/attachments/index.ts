export { AttachmentsModule } from './attachments.module';
export { AttachmentsService } from './attachments.service';
export { AttachmentErrors } from './attachments.errors';
export { AttachmentView } from './dto/attachment.dto';
export type { FileStorage } from './storage/file-storage';
export { AttachmentOwners } from './attachment-owners';
export type { AttachmentOwnerCheck } from './attachment-owners';
export { storageFromConfig } from './attachments.module';
