import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PartnershipsModule } from '../partnerships';
import { StaffModule } from '../staff';
import { GuidanceRecord, Mentorship } from './mentorship.entity';
import { MentorshipsController } from './mentorships.controller';
import { MentorshipsRepository } from './mentorships.repository';
import { MentorshipsService } from './mentorships.service';

@Module({
  imports: [TypeOrmModule.forFeature([Mentorship, GuidanceRecord]), StaffModule, PartnershipsModule],
  controllers: [MentorshipsController],
  providers: [MentorshipsRepository, MentorshipsService],
  exports: [MentorshipsService],
})
export class MentorshipsModule {}
