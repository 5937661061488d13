import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttachmentsModule } from '../attachments';
import { ReferenceDataModule } from '../reference-data';
import { EnterpriseCriteriaService } from './enterprise-criteria.service';
import { Enterprise } from './enterprise.entity';
import { ChangeProposalsController, EnterprisesController } from './enterprises.controller';
import { EnterprisesRepository } from './enterprises.repository';
import { EnterprisesService } from './enterprises.service';
import { Offering } from './offering.entity';
import { OfferingsController } from './offerings.controller';
import { OfferingsService } from './offerings.service';

@Module({
  imports: [TypeOrmModule.forFeature([Enterprise, Offering]), ReferenceDataModule, AttachmentsModule],
  controllers: [EnterprisesController, ChangeProposalsController, OfferingsController],
  providers: [EnterprisesRepository, EnterprisesService, OfferingsService, EnterpriseCriteriaService],
  exports: [EnterprisesService, EnterpriseCriteriaService],
})
export class EnterprisesModule {}
