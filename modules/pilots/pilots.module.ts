import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { PartnershipsModule } from '../partnerships';
import { ProgrammesModule } from '../programmes';
import { ReferenceDataModule } from '../reference-data';
import { TeamsModule } from '../teams';
import { TrainingPlansModule } from '../training-plans';
import { ApplicationsService } from './applications.service';
import { NoticesService } from './notices.service';
import { PilotApplicationsController, PilotNoticesController, PublicityController } from './pilots.controller';
import { PilotsRepository } from './pilots.repository';
import { PublicityService } from './publicity.service';

/** Pilot notices, applications, expert review, public notice, announcement and filing (issue 12). */
@Module({
  imports: [AuditModule, ReferenceDataModule, ProgrammesModule, TeamsModule, PartnershipsModule, TrainingPlansModule],
  controllers: [PilotNoticesController, PilotApplicationsController, PublicityController],
  providers: [PilotsRepository, NoticesService, ApplicationsService, PublicityService],
  exports: [PilotsRepository],
})
export class PilotsModule {}
