import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Tx } from '../../src/database/transaction-host';
import { TenantContext } from '../../src/tenancy/tenant-context';

/** The cohorts a KPI write touches (for the refresh requests of other modules' writes). */
@Injectable()
export class KpiRefreshRepository {
  constructor(
    private readonly txHost: TransactionHost<any>,
    private readonly tenant: TenantContext,
  ) {}

  async cohortsOfStudents(studentIds: string[]): Promise<string[]> {
    if (!studentIds.length) return [];
    const rows: { cohortId: string }[] = await (this.txHost as Tx).tx.query(
      `SELECT DISTINCT cohort_id AS "cohortId" FROM students WHERE tenant_id = $1 AND id = ANY ($2::uuid[]) ORDER BY 1`,
      [this.tenant.requireTenantId(), studentIds],
    );
    return rows.map((r) => r.cohortId);
  }
}
