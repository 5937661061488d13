import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { makeResidentId, StudentImportService } from '../modules/students';
import { AppModule } from '../src/app.module';
import { bootstrapDatabase, dropDatabase } from '../src/database/roles';
import { runMigrations } from '../src/database/migrate';
import { TenantContext } from '../src/tenancy/tenant-context';

/**
 * Bench, not a test (issue 5): import 10,000 students from an .xlsx into one cohort, dry
 * run then commit, through StudentImportService — the code the `imports` job runs for a
 * file above the 2,000-row threshold (parse → validate → blind-index look-up → one
 * transaction of unnest inserts). Reports wall time per phase and the peak RSS of the
 * process (sampled every 20 ms). Target: under 15 s in total with the process under 400 MB.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379 \
 *     npx nest build && node dist/bench/import-bench.js [rows]
 */
const ROWS = Number(process.argv[2] ?? 10_000);
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁'.split('');
const GIVEN = '嘉豪 子轩 梓涵 浩然 欣怡 俊杰 诗琪 宇航 雨桐 家乐 晓东 美玲 志强 思颖 伟健'.split(' ');

async function rosterXlsx(n: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('学生名单');
  ws.addRow(['姓名*', '性别', '出生日期', '身份证号*', '手机号', '入学起点*']);
  for (let i = 0; i < n; i++) {
    const dob = `${2006 + (i % 3)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    // region + birth date + sequence make each number unique; the check character is computed
    const id = makeResidentId(['440106', '440305', '440604', '441302'][Math.floor(i / 999) % 4], dob, 1 + (i % 999));
    ws.addRow([SURNAMES[i % 20] + GIVEN[i % 15], Number(id[16]) % 2 ? '男' : '女', dob, id, `139${String(i).padStart(8, '0')}`, '高中']);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL (a superuser URL) is required');
  const database = `jishi_bench_import_${randomBytes(3).toString('hex')}`;
  const targets = await bootstrapDatabase(adminUrl, database, { owner: 'app_owner_pw', app: 'app_user_pw' });
  await runMigrations(targets.ownerUrl);
  Object.assign(process.env, {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: targets.appUrl,
    DATABASE_MIGRATION_URL: targets.ownerUrl,
    JWT_SECRET: randomBytes(48).toString('base64'),
    PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PII_HASH_KEY: randomBytes(32).toString('base64'),
    QUEUE_PREFIX: `bench${randomBytes(3).toString('hex')}`,
  });

  const owner = new Client({ connectionString: targets.ownerUrl });
  await owner.connect();
  const tenantId = (await owner.query(`INSERT INTO tenants (code, name, tier, city) VALUES ('BENCH', '基准测试技师学院', 'batch1', '广州') RETURNING id`)).rows[0].id;
  await owner.query('BEGIN');
  await owner.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
  const programmeId = (await owner.query(`INSERT INTO programmes (code, name, occupation_code, occupation_name) VALUES ('P1', '数控加工', '6-18-01-01', '车工') RETURNING id`)).rows[0].id;
  const planId = (
    await owner.query(
      `INSERT INTO training_plans (programme_id, version_no, status, occupation_code, class_size, content) VALUES ($1, 1, 'current', '6-18-01-01', 30, '{}') RETURNING id`,
      [programmeId],
    )
  ).rows[0].id;
  const cohortId = (
    await owner.query(
      `INSERT INTO cohorts (programme_id, plan_version_id, name, intake_year, track_code, start_date, duration_months, senior_worker_stage_months)
       VALUES ($1, $2, '2025级基准班', 2025, 'senior-high', '2025-09-01', 48, 24) RETURNING id`,
      [programmeId, planId],
    )
  ).rows[0].id;
  await owner.query('COMMIT');

  const file = await rosterXlsx(ROWS);
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  const service = app.get(StudentImportService);
  const tenant = app.get(TenantContext);

  global.gc?.();
  const baseRss = process.memoryUsage().rss;
  let peak = baseRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const phases: Record<string, number> = {};
  const time = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await fn();
    phases[name] = Math.round(performance.now() - t0);
    return out;
  };
  const total0 = performance.now();
  const dry = await tenant.runAsTenant(tenantId, async () => {
    const rows = await time('dryRun.parse', () => service.parse('xlsx', file));
    return time('dryRun.validate', () => service.importRows(cohortId, rows, true));
  });
  const commit = await tenant.runAsTenant(tenantId, async () => {
    const rows = await time('commit.parse', () => service.parse('xlsx', file));
    return time('commit.write', () => service.importRows(cohortId, rows, false));
  });
  const totalMs = Math.round(performance.now() - total0);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);

  await owner.query('BEGIN');
  await owner.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
  const stored = Number((await owner.query(`SELECT count(*) AS n FROM students WHERE tenant_id = $1`, [tenantId])).rows[0].n);
  await owner.query('COMMIT');
  const result = {
    date: new Date().toISOString().slice(0, 10),
    rows: ROWS,
    fileBytes: file.length,
    dryRun: { created: dry.created, errors: dry.errors.length },
    commit: { created: commit.created, errors: commit.errors.length },
    stored,
    phasesMs: phases,
    totalMs,
    rssBaseMb: Math.round(baseRss / 1048576),
    rssPeakMb: Math.round(peak / 1048576),
    target: { totalMs: 15_000, rssPeakMb: 400 },
    met: totalMs < 15_000 && peak < 400 * 1048576,
    node: process.version,
  };
  console.log(JSON.stringify(result, null, 2));
  await app.close();
  await owner.end();
  await dropDatabase(adminUrl, database);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
