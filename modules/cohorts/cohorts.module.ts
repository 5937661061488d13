import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PartnershipsModule } from '../partnerships';
import { ReferenceDataModule } from '../reference-data';
import { TeamsModule } from '../teams';
import { Cohort } from './cohort.entity';
import { CohortKpiService } from './cohort-kpi.service';
import { CohortsController } from './cohorts.controller';
import { CohortsRepository } from './cohorts.repository';
import { CohortsService } from './cohorts.service';

@Module({
  imports: [TypeOrmModule.forFeature([Cohort]), ReferenceDataModule, PartnershipsModule, TeamsModule],
  controllers: [CohortsController],
  providers: [CohortsRepository, CohortsService, CohortKpiService],
  exports: [CohortsService, CohortKpiService],
})
export class CohortsModule {}
