import { CallHandler, ExecutionContext, Inject, Injectable, mixin, NestInterceptor, OnModuleInit, Optional, Type } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FileInterceptor as ExpressFileInterceptor } from '@nestjs/platform-express';
import { Observable } from 'rxjs';

/** MulterModule.register's options token (@nestjs/platform-express/multer/files.constants): the modules keep registering their limits there. */
const MULTER_MODULE_OPTIONS = 'MULTER_MODULE_OPTIONS';

export interface FileUploadOptions {
  limits?: { fileSize?: number; files?: number; fields?: number; parts?: number };
}

/**
 * `FileInterceptor(field)` on either HTTP adapter (ADR 0007, HTTP_ADAPTER): on Express it is
 * platform-express's (multer), exactly as before the switch; on Fastify the one of
 * @nestjs/platform-fastify/multipart (@fastify/multipart, multer's semantics: `req.file` with
 * `buffer` and `originalname`, 413 past `fileSize`, 400 for a malformed body). Both read the
 * options the module gave MulterModule.register, merged under `localOptions`. The adapter is
 * only known once the application exists, so the delegate is made at module init.
 */
export function FileUploadInterceptor(field: string, localOptions?: FileUploadOptions): Type<NestInterceptor> {
  @Injectable()
  class MixinInterceptor implements NestInterceptor, OnModuleInit {
    private delegate?: NestInterceptor;

    constructor(
      private readonly adapterHost: HttpAdapterHost,
      @Optional() @Inject(MULTER_MODULE_OPTIONS) private readonly moduleOptions: Record<string, unknown> = {},
    ) {}

    onModuleInit(): void {
      this.resolve();
    }

    intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> | Promise<Observable<unknown>> {
      return this.resolve().intercept(context, next);
    }

    private resolve(): NestInterceptor {
      if (this.delegate) return this.delegate;
      if (this.adapterHost.httpAdapter?.getType() === 'fastify') {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { FileInterceptor } = require('@nestjs/platform-fastify/multipart') as typeof import('@nestjs/platform-fastify/multipart');
        const Interceptor = FileInterceptor(field, localOptions) as unknown as new (options: object, host: HttpAdapterHost) => NestInterceptor & Partial<OnModuleInit>;
        const delegate = new Interceptor(this.moduleOptions, this.adapterHost);
        delegate.onModuleInit?.(); // registers @fastify/multipart with the adapter (before `ready`)
        this.delegate = delegate;
      } else {
        const Interceptor = ExpressFileInterceptor(field, localOptions) as unknown as new (options: object) => NestInterceptor;
        this.delegate = new Interceptor(this.moduleOptions);
      }
      return this.delegate;
    }
  }
  return mixin(MixinInterceptor);
}
