import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KpiRefreshModule } from '../kpis';
import { BenchmarksController } from './benchmarks.controller';
import { BenchmarksRepository } from './benchmarks.repository';
import { BenchmarksService } from './benchmarks.service';
import { EmploymentRecord } from './employment-record.entity';
import { GraduatesController } from './graduates.controller';
import { GraduatesRepository } from './graduates.repository';
import { GraduatesService } from './graduates.service';

@Module({
  imports: [TypeOrmModule.forFeature([EmploymentRecord]), KpiRefreshModule],
  controllers: [GraduatesController, BenchmarksController],
  providers: [GraduatesRepository, GraduatesService, BenchmarksRepository, BenchmarksService],
  exports: [GraduatesService, BenchmarksService],
})
export class GraduatesModule {}
