import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KpiRefreshModule } from '../kpis';
import { StaffModule } from '../staff';
import { HoursEntry, Placement } from './placement.entity';
import { PracticeController } from './practice.controller';
import { PracticeRepository } from './practice.repository';
import { PracticeService } from './practice.service';
import { MenteeAccess } from './visibility';

@Module({
  imports: [TypeOrmModule.forFeature([Placement, HoursEntry]), StaffModule, KpiRefreshModule],
  controllers: [PracticeController],
  providers: [PracticeRepository, PracticeService, MenteeAccess],
  exports: [PracticeService, MenteeAccess],
})
export class PracticeModule {}
