import { Module } from '@nestjs/common';
import { TeamsModule } from '../teams';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EnterprisesModule } from '../enterprises';
import { PartnershipsModule } from '../partnerships';
import { ReferenceDataModule } from '../reference-data';
import { TrainingPlansModule } from '../training-plans';
import { ProgrammeEligibilityService } from './eligibility.service';
import { Programme } from './programme.entity';
import { ProgrammesController } from './programmes.controller';
import { ProgrammesRepository } from './programmes.repository';
import { ProgrammesService } from './programmes.service';

@Module({
  imports: [TypeOrmModule.forFeature([Programme]), ReferenceDataModule, TrainingPlansModule, PartnershipsModule, EnterprisesModule, TeamsModule],
  controllers: [ProgrammesController],
  providers: [ProgrammesRepository, ProgrammesService, ProgrammeEligibilityService],
  exports: [ProgrammesService, ProgrammeEligibilityService],
})
export class ProgrammesModule {}
