/**
 * A college report for 5,000 students (issue 13 "Shown by"): under 20 s, the worker under 500 MB.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379 \
 *     node -r ./test/setup/swc-register.js bench/report-bench.ts [--students 5000]
 *
 * 1. A throwaway database (`jishi_report_bench_<ts>`, dropped at the end), migrated, seeded
 *    with `bench/seed-scale.ts --colleges 1 --students 5000` (3 programmes × 3 cohorts,
 *    placements, assessment results, certificates, employment and follow-ups).
 * 2. The real worker process (`src/worker.ts`, its own queue prefix so no other worker on the
 *    Redis takes the job), as production runs it: outbox relay → BullMQ → ReportsProcessor.
 * 3. For PDF then XLSX: a college KPI report row and its outbox row written in one
 *    transaction pinned to the college (as POST /reports does); the clock runs from the
 *    commit until the row reads `done`. The worker's peak RSS is the kernel's VmHWM.
 * Prints JSON and writes bench/results/reports-<date>.json. Not part of `npm test`.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../src/database/migrate';
import { bootstrapDatabase, dropDatabase } from '../src/database/roles';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const root = resolve(__dirname, '..');
const register = join(root, 'test/setup/swc-register.js');
const log = (m: string) => console.error(`[report-bench] ${m}`);

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

async function main() {
  const adminUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!adminUrl || !redisUrl) throw new Error('set DATABASE_URL (a superuser URL) and REDIS_URL');
  const students = Number(arg('students', '5000'));
  const stamp = Date.now();
  const database = `jishi_report_bench_${stamp}`;
  const storageDir = mkdtempSync(join(tmpdir(), 'report-bench-'));
  const secrets = { JWT_SECRET: randomBytes(48).toString('base64'), PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'), PII_HASH_KEY: randomBytes(32).toString('base64') };
  let worker: ChildProcess | undefined;
  try {
    const targets = await bootstrapDatabase(adminUrl, database, { owner: 'app_owner_pw', app: 'app_user_pw' });
    await runMigrations(targets.ownerUrl);
    log(`database ${database} migrated; seeding ${students} students`);
    execFileSync(process.execPath, ['-r', register, join(root, 'bench/seed-scale.ts'), '--colleges', '1', '--students', String(students), '--url', targets.ownerUrl], {
      env: { ...process.env, ...secrets },
      stdio: ['ignore', 'inherit', 'inherit'],
    });

    const db = new Client({ connectionString: targets.appUrl });
    db.on('error', () => undefined); // the database is dropped WITH (FORCE) at the end, under this client
    await db.connect();
    await db.query("BEGIN; SELECT set_config('app.scope', 'province', true)");
    const college = (await db.query(`SELECT t.id, t.name, (SELECT count(*)::int FROM students s WHERE s.tenant_id = t.id) AS students FROM tenants t WHERE EXISTS (SELECT 1 FROM cohorts c WHERE c.tenant_id = t.id) LIMIT 1`)).rows[0];
    await db.query('COMMIT');
    log(`college ${college.name}: ${college.students} students; starting the worker`);

    worker = spawn(process.execPath, ['-r', register, join(root, 'src/worker.ts')], {
      cwd: root,
      env: { ...process.env, ...secrets, NODE_ENV: 'production', LOG_LEVEL: 'info', DATABASE_URL: targets.appUrl, DATABASE_MIGRATION_URL: targets.ownerUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: `bench-report-${stamp}`, STORAGE_DIR: storageDir, METRICS_TOKEN: randomBytes(24).toString('hex') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (c: Buffer) => (output = (output + c.toString()).slice(-20_000));
    worker.stdout!.on('data', keep);
    worker.stderr!.on('data', keep);
    const bootDeadline = Date.now() + 120_000;
    while (!/worker started/.test(output)) {
      if (worker.exitCode !== null || Date.now() > bootDeadline) throw new Error(`worker did not start:\n${output.slice(-2000)}`);
      await sleep(200);
    }
    const idle = memoryOf(worker.pid!);

    const runs: Record<string, unknown>[] = [];
    for (const format of ['pdf', 'xlsx'] as const) {
      await db.query('BEGIN');
      await db.query("SELECT set_config('app.tenant_id', $1, true)", [college.id]);
      const report = (
        await db.query(
          `INSERT INTO reports (tenant_id, kind, level, college_id, subject_id, format, title) VALUES ($1, 'kpi', 'college', $1, $1, $2, $3) RETURNING id`,
          [college.id, format, `${college.name} 学院关键指标报表`],
        )
      ).rows[0].id as string;
      await db.query(`INSERT INTO outbox (queue, job_name, job_id, payload) VALUES ('reports', 'reports.generate', $1, $2)`, [`report-${report}`, { tenantId: college.id, reportId: report }]);
      await db.query('COMMIT');
      const t0 = Date.now();
      let row: { status: string; size_bytes: string; progress: number } | undefined;
      let peakSampled = 0;
      while (Date.now() - t0 < 120_000) {
        peakSampled = Math.max(peakSampled, memoryOf(worker.pid!).rssMb);
        await db.query('BEGIN');
        await db.query("SELECT set_config('app.tenant_id', $1, true)", [college.id]);
        row = (await db.query(`SELECT status, size_bytes, progress FROM reports WHERE id = $1`, [report])).rows[0];
        await db.query('COMMIT');
        if (row?.status === 'done' || row?.status === 'failed') break;
        await sleep(50);
      }
      const seconds = (Date.now() - t0) / 1000;
      if (row?.status !== 'done') throw new Error(`report ${format} ended ${row?.status}:\n${output.slice(-2000)}`);
      const mem = memoryOf(worker.pid!);
      runs.push({ format, seconds: +seconds.toFixed(2), sizeKb: Math.round(Number(row.size_bytes) / 1024), workerRssMb: mem.rssMb, workerPeakRssMb: mem.peakMb, sampledPeakRssMb: peakSampled });
      log(`${format}: ${seconds.toFixed(2)} s, ${Math.round(Number(row.size_bytes) / 1024)} KB, worker peak RSS ${mem.peakMb} MB`);
    }
    await db.end();
    const result = {
      bench: 'reports',
      date: new Date().toISOString(),
      students: college.students,
      workerIdleRssMb: idle.rssMb,
      runs,
      limits: { seconds: 20, workerRssMb: 500 },
      pass: runs.every((r) => (r.seconds as number) < 20 && (r.workerPeakRssMb as number) < 500),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
      commit: (() => {
        try {
          return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
        } catch {
          return null;
        }
      })(),
    };
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(join(root, `bench/results/reports-${result.date.slice(0, 10)}.json`), JSON.stringify(result, null, 2) + '\n');
    console.log(JSON.stringify(result, null, 2));
  } finally {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker!.once('exit', r));
    }
    await dropDatabase(adminUrl, database).catch((e) => log(`could not drop ${database}: ${(e as Error).message}`));
    rmSync(storageDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
