import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule, BullBoardModuleOptions } from '@bull-board/nestjs';
import { Module } from '@nestjs/common';
import { QUEUE_NAMES } from '../queue-names';
import { QueueBoardAuthMiddleware } from './queue-board-auth.middleware';

/** Route of the board, outside /api/v1 (listed in UNPREFIXED of app.factory.ts). */
export const QUEUE_BOARD_ROUTE = 'admin/queues';

/** Bull Board for province admins (ARCHITECTURE §6): failed jobs visible, retriable. API process only. */
@Module({
  imports: [
    BullBoardModule.forRoot({
      route: `/${QUEUE_BOARD_ROUTE}`,
      // @bull-board/express pins its own copy of @bull-board/api: same shape, distinct types.
      adapter: ExpressAdapter as unknown as BullBoardModuleOptions['adapter'],
      middleware: QueueBoardAuthMiddleware,
      boardOptions: { uiConfig: { boardTitle: 'Jishi queues' } },
    }),
    BullBoardModule.forFeature(...QUEUE_NAMES.map((name) => ({ name, adapter: BullMQAdapter }))),
  ],
})
export class QueueBoardModule {}
