import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { AppConfig } from '../../config/app-config';
import { AppException } from '../../src/errors/app.exception';
import { AttachmentErrors } from './attachments.errors';

/** The token MulterModule provides its options under (platform-express keeps the constant internal). */
const MULTER_MODULE_OPTIONS = 'MULTER_MODULE_OPTIONS';

/**
 * Nest's FileInterceptor for the form field `file` (memory storage, the module's limits),
 * with multer's "file too large" answered as our own 413 that names the limit.
 */
@Injectable()
export class AttachmentUploadInterceptor implements NestInterceptor {
  private readonly inner: NestInterceptor;

  constructor(
    @Inject(MULTER_MODULE_OPTIONS) options: Record<string, unknown>,
    private readonly config: AppConfig,
  ) {
    const Inner = FileInterceptor('file');
    this.inner = new (Inner as unknown as new (o: unknown) => NestInterceptor)(options);
  }

  async intercept(context: ExecutionContext, next: CallHandler) {
    try {
      return await this.inner.intercept(context, next);
    } catch (e) {
      if (e instanceof PayloadTooLargeException) {
        throw new AppException(AttachmentErrors.TOO_LARGE, { maxMb: Math.round((this.config.ATTACHMENT_MAX_BYTES / 1048576) * 10) / 10 });
      }
      throw e;
    }
  }
}
