import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StaffModule } from '../staff';
import { Team, TeamMember } from './team.entity';
import { TeamsController } from './teams.controller';
import { TeamsRepository } from './teams.repository';
import { TeamComplianceService, TeamsService } from './teams.service';

@Module({
  imports: [TypeOrmModule.forFeature([Team, TeamMember]), StaffModule],
  controllers: [TeamsController],
  providers: [TeamsRepository, TeamsService, TeamComplianceService],
  exports: [TeamComplianceService],
})
export class TeamsModule {}
