import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule, BullBoardModuleOptions } from '@bull-board/nestjs';
import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { QUEUE_NAMES } from '../queue-names';
import { QueueBoardAuthMiddleware } from './queue-board-auth.middleware';

/** Route of the board, outside /api/v1 (listed in UNPREFIXED of app.factory.ts). */
export const QUEUE_BOARD_ROUTE = 'admin/queues';

/** Bull Board for province admins (ARCHITECTURE §6): failed jobs visible, retriable. API process only. */
@Module({
  imports: [
    BullBoardModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig): BullBoardModuleOptions => ({
        route: `/${QUEUE_BOARD_ROUTE}`,
        // @bull-board/express and /fastify pin their own copy of @bull-board/api: same shape, distinct types.
        // The board's server adapter follows HTTP_ADAPTER (ADR 0007); Fastify's is loaded only when chosen.
        adapter: (config.HTTP_ADAPTER === 'fastify'
          ? // eslint-disable-next-line @typescript-eslint/no-require-imports
            (require('@bull-board/fastify') as typeof import('@bull-board/fastify')).FastifyAdapter
          : ExpressAdapter) as unknown as BullBoardModuleOptions['adapter'],
        middleware: QueueBoardAuthMiddleware,
        boardOptions: { uiConfig: { boardTitle: 'Jishi queues' } },
      }),
    }),
    BullBoardModule.forFeature(...QUEUE_NAMES.map((name) => ({ name, adapter: BullMQAdapter }))),
  ],
})
export class QueueBoardModule implements NestModule {
  constructor(private readonly config: AppConfig) {}

  /**
   * @bull-board/nestjs applies the auth middleware with `forRoutes(route)`: on Express that
   * mount covers the board's sub-paths, on Fastify (middie) only the page itself, so there the
   * board's API and assets get the same check explicitly.
   */
  configure(consumer: MiddlewareConsumer): void {
    if (this.config.HTTP_ADAPTER === 'fastify') consumer.apply(QueueBoardAuthMiddleware).forRoutes(`${QUEUE_BOARD_ROUTE}/*path`);
  }
}
