import { DataSource } from 'typeorm';
import { currentClock } from '../../time/clock';
import { dataSourceOptions } from '../data-source-options';
import { assessmentsSeed } from './assessments.seed';
import { cohortsSeed } from './cohorts.seed';
import { enterprisesSeed } from './enterprises.seed';
import { graduatesSeed } from './graduates.seed';
import { mentorshipsSeed } from './mentorships.seed';
import { pilotsSeed } from './pilots.seed';
import { notificationsSeed } from './notifications.seed';
import { platformSeed } from './platform.seed';
import { practiceSeed } from './practice.seed';
import { programmesSeed } from './programmes.seed';
import { remindersSeed } from './reminders.seed';
import { staffSeed } from './staff.seed';
import { SeedContext, SeedStep, TenantPin } from './seed-context';

/**
 * The demo seed, in order. A module that wants demo data adds `<area>.seed.ts` next to
 * platform.seed.ts and appends its step here; later steps read ids of earlier ones from
 * `ctx.ids`.
 */
// mentorships read the students of the cohorts/students step: that step goes before it
export const DEMO_SEED_STEPS: SeedStep[] = [platformSeed, programmesSeed, enterprisesSeed, staffSeed, cohortsSeed, mentorshipsSeed, practiceSeed, assessmentsSeed, graduatesSeed, pilotsSeed, notificationsSeed, remindersSeed];

export interface SeedReport {
  /** rows inserted per table; all zero when the database already held the demo data */
  inserted: Record<string, number>;
  total: number;
  tenants: Map<string, string>;
}

/**
 * Seeds the demo province, idempotently. `target` is the owner (migration) URL or an
 * initialised DataSource connected as the owner. A session advisory lock keeps two
 * concurrent runs (two `npm run demo`s) from racing.
 */
export async function seedDemo(
  target: string | DataSource,
  options: { log?: (message: string) => void; steps?: SeedStep[] } = {},
): Promise<SeedReport> {
  const own = typeof target === 'string';
  const ds = own ? new DataSource(dataSourceOptions({ url: target, poolSize: 2, applicationName: 'jishi-seed' })) : target;
  if (own) await ds.initialize();
  const lock = ds.createQueryRunner();
  const inserted: Record<string, number> = {};
  const ctx: SeedContext = {
    ds,
    log: options.log ?? (() => undefined),
    ids: { tenants: new Map(), enterprises: new Map(), users: new Map() },
    count(table, n) {
      inserted[table] = (inserted[table] ?? 0) + n;
    },
    async tx(pin: TenantPin | null, fn) {
      return ds.transaction(async (m) => {
        if (pin) {
          await m.query(
            "SELECT set_config('app.tenant_id', $1, true), set_config('app.scope', $2, true), set_config('app.enterprise_id', $3, true), set_config('app.now', $4, true)",
            [pin.tenantId, pin.scope ?? 'college', pin.enterpriseId ?? '', currentClock().sqlNow()],
          );
        } else {
          await m.query("SELECT set_config('app.now', $1, true)", [currentClock().sqlNow()]);
        }
        return fn(m);
      });
    },
  };
  try {
    await lock.connect();
    await lock.query("SELECT pg_advisory_lock(hashtext('jishi.demo-seed'))");
    for (const step of options.steps ?? DEMO_SEED_STEPS) {
      const before = sum(inserted);
      await step.run(ctx);
      ctx.log(`seed ${step.name}: ${sum(inserted) - before} new rows`);
    }
  } finally {
    await lock.query("SELECT pg_advisory_unlock(hashtext('jishi.demo-seed'))").catch(() => undefined);
    await lock.release();
    if (own) await ds.destroy();
  }
  return { inserted, total: sum(inserted), tenants: ctx.ids.tenants };
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
