import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config';
import { Attachment } from './attachment.entity';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';
import { FILE_STORAGE, FileStorage } from './storage/file-storage';
import { LocalDiskStorage } from './storage/local-disk.storage';
import { S3Storage } from './storage/s3.storage';
import { AttachmentOwners } from './attachment-owners';

/** Chooses the storage by STORAGE_DRIVER; an s3 driver without its settings stops start-up with their names. */
export function storageFromConfig(config: AppConfig): FileStorage {
  if (config.STORAGE_DRIVER !== 's3') return new LocalDiskStorage(config.STORAGE_DIR);
  const missing = (['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => !config[k]);
  if (missing.length) throw new Error(`STORAGE_DRIVER=s3 needs ${missing.join(', ')}`);
  return new S3Storage({
    endpoint: config.S3_ENDPOINT!,
    bucket: config.S3_BUCKET!,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID!,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  });
}

@Module({
  imports: [
    TypeOrmModule.forFeature([Attachment]),
  ],
  controllers: [AttachmentsController],
  providers: [
    AttachmentsRepository,
    AttachmentsService,
    AttachmentOwners,
    { provide: FILE_STORAGE, inject: [AppConfig], useFactory: storageFromConfig },
  ],
  exports: [AttachmentsService, AttachmentOwners],
})
export class AttachmentsModule {}
