import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { Page, toPage } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { AuditService } from '../audit';
import { BenchmarkRow, BenchmarksRepository } from './benchmarks.repository';
import { BenchmarkDto, BenchmarkQuery, BenchmarkView } from './dto/graduates.dto';
import { GraduateErrors } from './graduates.errors';

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * R-EVA-4: technician-post monthly pay by city and year, kept by province admins. The
 * benchmark that applies to an employment record is the one in force for its city on the
 * record’s start date (SQL view `employment_facts_v`). A new open-ended benchmark closes the
 * city's previous open one the day before it starts; any other overlap is refused.
 */
@Injectable()
export class BenchmarksService {
  constructor(
    private readonly benchmarks: BenchmarksRepository,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
  ) {}

  @Transactional()
  async create(dto: BenchmarkDto): Promise<BenchmarkView> {
    const to = dto.effectiveTo ?? null;
    if (to && to < dto.effectiveFrom) throw new AppException(GraduateErrors.BENCHMARK_DATES);
    const open = await this.benchmarks.openBefore(dto.city, dto.effectiveFrom);
    if (open) {
      const closedOn = dayBefore(dto.effectiveFrom);
      await this.benchmarks.close(open.id, closedOn);
      await this.audit.record({ entity: 'pay-benchmark', entityId: open.id, action: 'close', before: { effectiveTo: null }, after: { effectiveTo: closedOn } });
    }
    if (await this.benchmarks.overlaps(dto.city, dto.effectiveFrom, to)) throw new AppException(GraduateErrors.BENCHMARK_OVERLAP, { city: dto.city });
    const row = await this.benchmarks.insert({
      city: dto.city,
      year: dto.year,
      monthlyPay: dto.monthlyPay,
      effectiveFrom: dto.effectiveFrom,
      effectiveTo: to,
      note: dto.note ?? null,
      createdBy: this.context.requireActor().userId,
    });
    await this.audit.record({ entity: 'pay-benchmark', entityId: row.id, action: 'create', after: { ...row } });
    return row;
  }

  @Transactional()
  async list(query: BenchmarkQuery): Promise<Page<BenchmarkView>> {
    const rows = await this.benchmarks.list(query);
    return toPage(rows, query.limit, (r: BenchmarkRow) => [r.city, r.effectiveFrom, r.id], (r) => r);
  }
}
