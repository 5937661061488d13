import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttachmentsModule } from '../attachments';
import { PracticeModule } from '../practice';
import { WorkOrder, WorkOrderEvent } from './work-order.entity';
import { WorkOrdersController } from './work-orders.controller';
import { WorkOrdersRepository } from './work-orders.repository';
import { WorkOrdersService } from './work-orders.service';

@Module({
  imports: [TypeOrmModule.forFeature([WorkOrder, WorkOrderEvent]), PracticeModule, AttachmentsModule],
  controllers: [WorkOrdersController],
  providers: [WorkOrdersRepository, WorkOrdersService],
  exports: [WorkOrdersService],
})
export class WorkOrdersModule {}
