import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { PartnershipsModule } from '../partnerships';
import { ProgrammesModule } from '../programmes';
import { TeamsModule } from '../teams';
import { KpisModule } from '../kpis';
import { COMPLETION_KPI_READER } from './domain/completion-kpi.port';
import { KpiModuleCompletionReader } from './kpi-module.reader';
import { EvaluationsController } from './evaluations.controller';
import { EvaluationsRepository } from './evaluations.repository';
import { EvaluationsService } from './evaluations.service';

/**
 * Mid-term and completion evaluations and revocation (R-GOV-3, issue 12).
 * COMPLETION_KPI_READER: the KPI module (issue 11) provides the completion figures.
 */
@Module({
  imports: [AuditModule, ProgrammesModule, TeamsModule, PartnershipsModule, KpisModule],
  controllers: [EvaluationsController],
  providers: [EvaluationsRepository, EvaluationsService, { provide: COMPLETION_KPI_READER, useClass: KpiModuleCompletionReader }],
})
export class EvaluationsModule {}
