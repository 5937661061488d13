import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';

export interface BenchmarkRow {
  id: string;
  city: string;
  year: number;
  monthlyPay: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  note: string | null;
}

const SELECT = `SELECT id, city, year, monthly_pay AS "monthlyPay", to_char(effective_from, 'YYYY-MM-DD') AS "effectiveFrom",
                       to_char(effective_to, 'YYYY-MM-DD') AS "effectiveTo", note FROM pay_benchmarks`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Pay benchmarks (R-EVA-4): a province-owned control-plane table, no tenant. */
@Injectable()
export class BenchmarksRepository {
  constructor(private readonly txHost: TransactionHost<any>) {}

  private get manager() {
    return (this.txHost as Tx).tx;
  }

  /** The open-ended benchmark of a city that starts before `from` (it closes when a newer one starts). */
  async openBefore(city: string, from: string): Promise<BenchmarkRow | undefined> {
    return (await this.manager.query(`${SELECT} WHERE city = $1 AND effective_to IS NULL AND effective_from < $2 FOR UPDATE`, [city, from]))[0];
  }

  async close(id: string, to: string): Promise<void> {
    await this.manager.query(`UPDATE pay_benchmarks SET effective_to = $2, version = version + 1, updated_at = now() WHERE id = $1`, [id, to]);
  }

  async overlaps(city: string, from: string, to: string | null): Promise<boolean> {
    const rows = await this.manager.query(
      `SELECT EXISTS (SELECT 1 FROM pay_benchmarks WHERE city = $1 AND daterange(effective_from, effective_to, '[]') && daterange($2::date, $3::date, '[]')) AS ok`,
      [city, from, to],
    );
    return rows[0].ok === true;
  }

  async insert(v: Omit<BenchmarkRow, 'id'> & { createdBy: string }): Promise<BenchmarkRow> {
    const rows = await this.manager.query(
      `INSERT INTO pay_benchmarks (city, year, monthly_pay, effective_from, effective_to, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id, city, year, monthly_pay AS "monthlyPay", to_char(effective_from, 'YYYY-MM-DD') AS "effectiveFrom", to_char(effective_to, 'YYYY-MM-DD') AS "effectiveTo", note`,
      [v.city, v.year, v.monthlyPay, v.effectiveFrom, v.effectiveTo, v.note, v.createdBy],
    );
    return rows[0];
  }

  /** Keyset on (city, effective_from desc, id). */
  list(filter: { city?: string; on?: string; limit: number; cursor?: string }): Promise<BenchmarkRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.city) {
      params.push(filter.city);
      where.push(`city = $${params.length}`);
    }
    if (filter.on) {
      params.push(filter.on);
      where.push(`effective_from <= $${params.length}::date AND (effective_to IS NULL OR effective_to >= $${params.length}::date)`);
    }
    const after = decodeCursor(filter.cursor, 3);
    if (after && (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(after[1]) || typeof after[2] !== 'string' || !UUID.test(after[2]))) {
      throw new AppException(PaginationErrors.BAD_CURSOR);
    }
    if (after) {
      params.push(after[0], after[1], after[2]);
      const n = params.length;
      where.push(`(city > $${n - 2} OR (city = $${n - 2} AND (effective_from < $${n - 1}::date OR (effective_from = $${n - 1}::date AND id > $${n}::uuid))))`);
    }
    params.push(filter.limit + 1);
    return this.manager.query(`${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY city, effective_from DESC, id LIMIT $${params.length}`, params);
  }
}
