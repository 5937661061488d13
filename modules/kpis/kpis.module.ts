import { Module } from '@nestjs/common';
import { KpiRefreshRepository } from './kpi-refresh.repository';
import { KpiRefreshRequests } from './kpi-refresh.requests';
import { KpiRefreshService } from './kpi-refresh.service';
import { KpisController } from './kpis.controller';
import { KpisRepository } from './kpis.repository';
import { KpisService } from './kpis.service';

@Module({
  controllers: [KpisController],
  providers: [KpisRepository, KpisService, KpiRefreshService],
  exports: [KpisService, KpiRefreshService],
})
export class KpisModule {}

/**
 * What a module whose writes move a KPI imports (assessments, certificates, graduates,
 * streaming): the refresh requests only, no routes and no KPI SQL.
 */
@Module({
  providers: [KpiRefreshRepository, KpiRefreshRequests],
  exports: [KpiRefreshRequests],
})
export class KpiRefreshModule {}
