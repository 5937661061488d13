import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { OutboxService, QUEUES } from '../../src/queue';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { KpisRepository } from './kpis.repository';

/**
 * Keeps kpi_cohort_counts equal to the live KPI SQL (DOMAIN §4): the worker runs it for the
 * cohorts a write touched (KpiRefreshRequests) and, each night, for every cohort of every
 * college — the live facts also move with the date alone (the employment in force today,
 * a follow-up checkpoint reached, a pay benchmark taking effect).
 */
@Injectable()
export class KpiRefreshService {
  constructor(
    private readonly kpis: KpisRepository,
    private readonly context: TenantContext,
    private readonly outbox: OutboxService,
  ) {}

  /** The current college's cohort (or every cohort of it, `null`); returns the cohorts stored. */
  @Transactional()
  refresh(cohortId: string | null): Promise<number> {
    return this.kpis.refreshCounts(this.context.requireTenantId(), cohortId);
  }

  /** Nightly (province scope): one whole-college refresh job per college, id per college and China day. */
  @Transactional()
  async fanOut(day: string): Promise<number> {
    const tenantIds = await this.kpis.tenantIds();
    for (const tenantId of tenantIds) {
      await this.outbox.enqueue(QUEUES.kpis, 'kpis.refresh-counts', { tenantId, cohortId: null }, { jobId: `kpis.refresh-counts_${tenantId}_all_${day}` });
    }
    return tenantIds.length;
  }
}
