import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { ProgrammesModule } from '../programmes';
import { GovernanceController } from './governance.controller';
import { GovernanceRepository } from './governance.repository';
import { GovernanceService } from './governance.service';

/** Consultations, funding decisions and the province overview (R-GOV-1, R-GOV-5, R-COL-3; issue 12). */
@Module({
  imports: [AuditModule, ProgrammesModule],
  controllers: [GovernanceController],
  providers: [GovernanceRepository, GovernanceService],
})
export class GovernanceModule {}
