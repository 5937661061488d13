import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments';
import { EnterprisesModule } from '../enterprises';
import { AgreementsController, PartnershipsController } from './partnerships.controller';
import { PartnershipsRepository } from './partnerships.repository';
import { PartnershipsService } from './partnerships.service';

@Module({
  imports: [EnterprisesModule, AttachmentsModule],
  controllers: [PartnershipsController, AgreementsController],
  providers: [PartnershipsRepository, PartnershipsService],
  exports: [PartnershipsService],
})
export class PartnershipsModule {}
