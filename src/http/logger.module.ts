import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config';
import { requestIdOf } from './request-id';

/** Structured JSON logs with request id, tenant and user; no secrets, no personal data. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.LOG_LEVEL,
          genReqId: (req) => requestIdOf(req as never),
          // Called when the request starts (before the guard: no user yet) and again for the
          // response line. Without a user the bindings would all be undefined, and pino-http would
          // still build a third child logger per request for them (issue 14): undefined skips it.
          customProps: (req: any) =>
            (req.user ? { tenantId: req.user.tenantId, userId: req.user.userId, role: req.user.role } : undefined) as object,
          serializers: {
            req: (req: any) => ({ id: req.id, method: req.method, url: String(req.url).split('?')[0] }),
            res: (res: any) => ({ statusCode: res.statusCode }),
          },
          redact: {
            paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refreshToken', '*.idNumber', '*.phone', '*.token'],
            censor: '[redacted]',
          },
          // request lines are info: above that level pino-http would build them for nothing
          autoLogging: ['trace', 'debug', 'info'].includes(config.LOG_LEVEL)
            ? { ignore: (req) => ['/health/live', '/health/ready', '/metrics'].includes(String(req.url)) }
            : false,
        },
      }),
    }),
  ],
})
export class HttpLoggerModule {}
