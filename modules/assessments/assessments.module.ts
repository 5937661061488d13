import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KpiRefreshModule } from '../kpis';
import { StaffModule } from '../staff';
import { AssessmentSheet } from './assessment.entity';
import { AssessmentsController } from './assessments.controller';
import { AssessmentsRepository } from './assessments.repository';
import { AssessmentsService } from './assessments.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([AssessmentSheet]),
    StaffModule,
    KpiRefreshModule,
    MulterModule.register({ defParamCharset: 'utf8', limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 5, parts: 6 } }),
  ],
  controllers: [AssessmentsController],
  providers: [AssessmentsRepository, AssessmentsService],
  exports: [AssessmentsService],
})
export class AssessmentsModule {}
