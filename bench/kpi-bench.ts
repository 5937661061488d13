import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { ClsService } from 'nestjs-cls';
import { Client } from 'pg';
import { KPI_SQL, KpiRefreshService, kpiParams, KpisService, storedKpiSql } from '../modules/kpis';
import { TenantContext } from '../src/tenancy/tenant-context';
import { AppModule } from '../src/app.module';
import type { JishiClsStore } from '../src/tenancy/request-context';

/**
 * KPI dashboards vs the same aggregate SQL through raw `pg`, in one run (issue 11):
 *
 *   DATABASE_URL=<app_user url> JWT_SECRET=… PII_ENCRYPTION_KEY=… PII_HASH_KEY=… npm run bench:kpis -- [--runs 30]
 *
 * First fills kpi_cohort_counts the way the nightly job does (every college, timed), then:
 * A: the service (`KpisService.provinceDashboard` / `collegeDashboard`: transaction, tenant
 * pin, every dashboard query, mapping — what the routes serve) as a province viewer and as a
 * college admin, warm. B: the dashboards' aggregate (storedKpiSql over the stored
 * per-cohort counts) through a plain pg client in the same wrapper (BEGIN; set_config;
 * query; COMMIT). C: what keeping the counts costs — the live KPI_SQL for the province and a
 * college (what the dashboards computed per request before), a college's refresh, a cohort's
 * refresh. Reports p50/p95 in ms as JSON. Run it on `npm run seed:scale` data after its
 * VACUUM ANALYZE (`--live-runs` for the slow live province SQL). Not part of `npm test`.
 */
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { runs: s.length, p50: +at(0.5).toFixed(1), p95: +at(0.95).toFixed(1), max: +s[s.length - 1].toFixed(1) };
}

async function timed(runs: number, fn: () => Promise<unknown>, warm = 3) {
  for (let i = 0; i < warm; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return stats(out);
}

async function main() {
  const runs = Number(arg('runs', '30'));
  process.env.LOG_LEVEL ??= 'warn';
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  const kpis = app.get(KpisService);
  const cls = app.get(ClsService) as ClsService<JishiClsStore>;
  const raw = new Client({ connectionString: process.env.DATABASE_URL });
  await raw.connect();
  await raw.query("BEGIN; SELECT set_config('app.scope', 'province', true)");
  const { rows } = await raw.query(`SELECT t.id FROM tenants t WHERE EXISTS (SELECT 1 FROM cohorts c WHERE c.tenant_id = t.id) ORDER BY t.code LIMIT 1`);
  await raw.query('COMMIT');
  const tenantId: string = rows[0].id;
  const as = <T>(actor: JishiClsStore['actor'], fn: () => Promise<T>) =>
    cls.run(async () => {
      cls.set('actor', actor);
      return fn();
    });
  const province = { userId: '00000000-0000-4000-8000-000000000000', membershipId: '00000000-0000-4000-8000-000000000000', scope: 'province' as const, role: 'province-viewer' };
  const college = { ...province, scope: 'college' as const, role: 'college-admin', tenantId };
  const rawKpi = async (pin: 'province' | string, sql: string | 'stored', hashJoins: boolean) => {
    await raw.query('BEGIN');
    if (pin === 'province') await raw.query("SELECT set_config('app.scope', 'province', true), set_config('statement_timeout', '300s', true)");
    else await raw.query("SELECT set_config('app.tenant_id', $1, true), set_config('app.scope', 'college', true)", [pin]);
    if (hashJoins) await raw.query("SELECT set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)");
    const filter = pin === 'province' ? {} : { tenantId: pin };
    if (sql === 'stored') {
      const q = storedKpiSql(filter, pin === 'province' ? 'colleges' : 'all');
      await raw.query(q.sql, q.params);
    } else await raw.query(sql, kpiParams(filter));
    await raw.query('COMMIT');
  };
  const refresh = app.get(KpiRefreshService);
  const tenants = app.get(TenantContext);
  await raw.query("BEGIN; SELECT set_config('app.scope', 'province', true)");
  const colleges: string[] = (await raw.query('SELECT id FROM tenants ORDER BY id')).rows.map((r) => r.id);
  const { rows: cohortRows } = await raw.query('SELECT id FROM cohorts WHERE tenant_id = $1 ORDER BY intake_year, id LIMIT 1', [tenantId]);
  await raw.query('COMMIT');
  const t0 = performance.now();
  // `--refresh no` on a database already filled by an earlier run
  if (arg('refresh', 'yes') !== 'no') for (const id of colleges) await tenants.runAsTenant(id, () => refresh.refresh(null));
  const fullRefreshMs = arg('refresh', 'yes') !== 'no' ? Math.round(performance.now() - t0) : null;
  const liveRuns = Number(arg('live-runs', '3'));
  const result = {
    at: new Date().toISOString(),
    colleges: colleges.length,
    fullRefreshMs,
    provinceDashboard: await timed(runs, () => as(province, () => kpis.provinceDashboard({ sort: 'technicianAttainment', order: 'desc' }))),
    provinceStoredSql: await timed(runs, () => rawKpi('province', 'stored', false)),
    collegeDashboard: await timed(runs, () => as(college, () => kpis.collegeDashboard())),
    collegeStoredSql: await timed(runs, () => rawKpi(tenantId, 'stored', false)),
    collegeRefresh: await timed(runs, () => tenants.runAsTenant(tenantId, () => refresh.refresh(null))),
    cohortRefresh: await timed(runs, () => tenants.runAsTenant(tenantId, () => refresh.refresh(cohortRows[0].id))),
    collegeLiveSql: await timed(runs, () => rawKpi(tenantId, KPI_SQL, true)),
    provinceLiveSql: liveRuns > 0 ? await timed(liveRuns, () => rawKpi('province', KPI_SQL, true), 1) : null,
  };
  console.log(JSON.stringify(result, null, 2));
  await raw.end();
  await app.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
