import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The audit log is append-only; purge_audit_log() is the one sanctioned way to remove old entries. */
@Injectable()
export class AuditRetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async purgeOlderThan(days: number): Promise<number> {
    const rows = await this.dataSource.query(
      `SELECT purge_audit_log(now() - make_interval(days => $1)) AS removed`,
      [days],
    );
    return Number(rows[0].removed);
  }
}
