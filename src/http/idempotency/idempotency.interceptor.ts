import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { catchError, from, Observable, of, switchMap, throwError } from 'rxjs';
import { AppException } from '../../errors/app.exception';
import { CommonErrors } from '../../errors/common.errors';
import { defineErrors } from '../../errors/error-catalog';
import type { Actor } from '../../tenancy/request-context';
import { setResponseHeader, setResponseStatus } from '../reply';
import { IdempotencyRepository } from './idempotency.repository';

export const IdempotencyErrors = defineErrors('IDEMPOTENCY', {
  IN_PROGRESS: {
    status: 409,
    zh: '使用同一幂等键的请求正在处理中，请稍后重试',
    en: 'A request with this Idempotency-Key is still being processed; retry shortly',
  },
  BAD_KEY: { status: 400, zh: 'Idempotency-Key 须为 8–200 个可见字符', en: 'Idempotency-Key must be 8–200 visible characters' },
});

const KEY_FORMAT = /^[\x21-\x7e]{8,200}$/;

/**
 * POSTs carrying an `Idempotency-Key` run once per caller and key (for 24 hours): a retry
 * with the same body gets the first answer replayed (`Idempotent-Replayed: true`); the same
 * key with another body is a 409. Without the header nothing changes.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly repository: IdempotencyRepository) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest();
    const res = context.switchToHttp().getResponse();
    const key = req.headers?.['idempotency-key'];
    const actor = req.user as Actor | undefined;
    if (req.method !== 'POST' || key === undefined || !actor) return next.handle();
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) return throwError(() => new AppException(IdempotencyErrors.BAD_KEY));

    const hash = createHash('sha256').update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`).digest();
    const status: number = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    const membership = actor.membershipId;

    return from(this.begin(membership, key, hash)).pipe(
      switchMap((replay) => {
        if (replay) {
          setResponseStatus(res, replay.statusCode);
          setResponseHeader(res, 'Idempotent-Replayed', 'true');
          return of(replay.response);
        }
        return next.handle().pipe(
          switchMap((body) => from(this.repository.complete(membership, key, status, body).then(() => body))),
          catchError((error) => from(this.repository.release(membership, key)).pipe(switchMap(() => throwError(() => error)))),
        );
      }),
    );
  }

  private async begin(membership: string, key: string, hash: Buffer): Promise<{ statusCode: number; response: unknown } | undefined> {
    await this.repository.forgetExpired(membership, key);
    if (await this.repository.claim(membership, key, hash)) return undefined;
    const stored = await this.repository.find(membership, key);
    if (!stored) return this.begin(membership, key, hash);
    if (!Buffer.from(stored.requestHash).equals(hash)) throw new AppException(CommonErrors.IDEMPOTENCY_CONFLICT);
    if (stored.statusCode === null) throw new AppException(IdempotencyErrors.IN_PROGRESS);
    return { statusCode: stored.statusCode, response: stored.response };
  }
}
