import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttachmentsModule } from '../attachments';
import { PlanFilingsController, TrainingPlansController } from './training-plans.controller';
import { TrainingPlan } from './training-plan.entity';
import { TrainingPlansRepository } from './training-plans.repository';
import { TrainingPlansService } from './training-plans.service';

@Module({
  imports: [TypeOrmModule.forFeature([TrainingPlan]), AttachmentsModule],
  controllers: [TrainingPlansController, PlanFilingsController],
  providers: [TrainingPlansRepository, TrainingPlansService],
  exports: [TrainingPlansService],
})
export class TrainingPlansModule {}
