import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { PartnershipsModule } from '../partnerships';
import { ProgrammesModule } from '../programmes';
import { TeamsModule } from '../teams';
import { COMPLETION_KPI_READER, NoCompletionKpis } from './domain/completion-kpi.port';
import { EvaluationsController } from './evaluations.controller';
import { EvaluationsRepository } from './evaluations.repository';
import { EvaluationsService } from './evaluations.service';

/**
 * Mid-term and completion evaluations and revocation (R-GOV-3, issue 12).
 * COMPLETION_KPI_READER: "no data" until the KPI module (issue 11) provides the reader.
 */
@Module({
  imports: [AuditModule, ProgrammesModule, TeamsModule, PartnershipsModule],
  controllers: [EvaluationsController],
  providers: [EvaluationsRepository, EvaluationsService, { provide: COMPLETION_KPI_READER, useClass: NoCompletionKpis }],
})
export class EvaluationsModule {}
