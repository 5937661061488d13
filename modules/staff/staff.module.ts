import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReferenceDataModule } from '../reference-data';
import { ExpertRule } from './expert-rule';
import { StaffMember } from './staff-member.entity';
import { StaffController } from './staff.controller';
import { StaffRepository } from './staff.repository';
import { StaffService } from './staff.service';

@Module({
  imports: [TypeOrmModule.forFeature([StaffMember]), ReferenceDataModule],
  controllers: [StaffController],
  providers: [StaffRepository, StaffService, ExpertRule],
  exports: [StaffService, ExpertRule],
})
export class StaffModule {}
