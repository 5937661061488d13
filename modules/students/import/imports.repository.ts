import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Tx } from '../../../src/database/transaction-host';
import { TenantContext } from '../../../src/tenancy/tenant-context';

export interface ImportError {
  row: number;
  column: string;
  message: string;
}

export interface ImportRow {
  id: string;
  cohortId: string;
  fileName: string;
  format: 'xlsx' | 'csv';
  dryRun: boolean;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  totalRows: number;
  processedRows: number;
  createdCount: number;
  unchangedCount: number;
  errors: ImportError[];
  errorCount: number;
  createdAt: Date;
  finishedAt: Date | null;
}

const COLUMNS = `id, cohort_id AS "cohortId", file_name AS "fileName", format, dry_run AS "dryRun", status, total_rows AS "totalRows",
  processed_rows AS "processedRows", created_count AS "createdCount", unchanged_count AS "unchangedCount", errors, error_count AS "errorCount",
  created_at AS "createdAt", finished_at AS "finishedAt"`;

/** All SQL on `student_imports` (tenant table). The file bytes are read by the job and cleared when it ends. */
@Injectable()
export class ImportsRepository {
  constructor(
    private readonly txHost: TransactionHost<any>,
    private readonly tenant: TenantContext,
  ) {}

  private get manager() {
    return (this.txHost as Tx).tx;
  }

  async insert(v: { cohortId: string; fileName: string; format: string; file: Buffer; dryRun: boolean; totalRows: number; createdBy: string | null }): Promise<string> {
    const rows = await this.manager.query(
      `INSERT INTO student_imports (tenant_id, cohort_id, file_name, format, file, dry_run, total_rows, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [this.tenant.requireTenantId(), v.cohortId, v.fileName, v.format, v.file, v.dryRun, v.totalRows, v.createdBy],
    );
    return rows[0].id;
  }

  async find(id: string): Promise<ImportRow | undefined> {
    return (await this.manager.query(`SELECT ${COLUMNS} FROM student_imports WHERE tenant_id = $1 AND id = $2`, [this.tenant.requireTenantId(), id]))[0];
  }

  /** Claims a queued import (a retried job finds it running or finished and does nothing twice). */
  async claim(id: string): Promise<(ImportRow & { file: Buffer | null; createdBy: string | null }) | undefined> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected]
    const [rows] = await this.manager.query(
      `UPDATE student_imports SET status = 'running' WHERE tenant_id = $1 AND id = $2 AND status IN ('queued','running')
       RETURNING ${COLUMNS}, file, created_by AS "createdBy"`,
      [this.tenant.requireTenantId(), id],
    );
    return rows[0];
  }

  async progress(id: string, processed: number): Promise<void> {
    await this.manager.query(`UPDATE student_imports SET processed_rows = $3 WHERE tenant_id = $1 AND id = $2`, [this.tenant.requireTenantId(), id, processed]);
  }

  async finish(id: string, v: { status: 'succeeded' | 'failed'; processed: number; created: number; unchanged: number; errors: ImportError[]; errorCount?: number }): Promise<void> {
    await this.manager.query(
      `UPDATE student_imports SET status = $3, processed_rows = $4, created_count = $5, unchanged_count = $6, errors = $7::jsonb, error_count = $8,
         file = NULL, finished_at = now()
       WHERE tenant_id = $1 AND id = $2`,
      [this.tenant.requireTenantId(), id, v.status, v.processed, v.created, v.unchanged, JSON.stringify(v.errors), v.errorCount ?? v.errors.length],
    );
  }

  /** A job that failed for good or was lost: the import ends `failed` (only if it had not ended already). */
  async failUnfinished(id: string, errors: ImportError[]): Promise<boolean> {
    const [rows] = await this.manager.query(
      `UPDATE student_imports SET status = 'failed', errors = $3::jsonb, error_count = $4, file = NULL, finished_at = now()
       WHERE tenant_id = $1 AND id = $2 AND status IN ('queued','running') RETURNING id`,
      [this.tenant.requireTenantId(), id, JSON.stringify(errors), errors.length],
    );
    return rows.length === 1;
  }

  /**
   * Imports of every college still queued or running after `olderThanSeconds` (province
   * scope: the read-only province policy shows all tenants; the sweeper then acts per tenant).
   */
  async unfinishedAcrossTenants(olderThanSeconds: number, limit: number): Promise<{ id: string; tenantId: string; status: string }[]> {
    return this.manager.query(
      `SELECT id, tenant_id AS "tenantId", status FROM student_imports
       WHERE status IN ('queued','running') AND created_at < now() - make_interval(secs => $1)
       ORDER BY created_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
  }
}
