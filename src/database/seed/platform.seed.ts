import { EntityManager } from 'typeorm';
import { hashPassword } from '../../auth/password';
import { DEMO_COLLEGES, DEMO_ENTERPRISES, DEMO_PASSWORD, DEMO_PROVINCE_USERS, DemoUser, loginOf } from './demo-data';
import { SeedContext, SeedStep } from './seed-context';
import { isValidUscc } from './uscc';

const NIL = "'00000000-0000-0000-0000-000000000000'::uuid";

/**
 * Platform seed: colleges (tenants, R-COL-1), the enterprise registry (R-ENT-0), users and
 * memberships (ARCHITECTURE §4). All control-plane tables: no tenant pin needed. Upserts on
 * natural keys (tenants.code, enterprises.uscc, users email/phone, the membership identity),
 * and existing rows are left untouched, so a second run changes nothing.
 */
export const platformSeed: SeedStep = {
  name: 'platform',
  async run(ctx) {
    await ctx.tx(null, async (m) => {
      for (const c of DEMO_COLLEGES) {
        const { id, inserted } = await upsertReturningId(
          m,
          `INSERT INTO tenants (code, name, tier, city) VALUES ($1, $2, $3, $4) ON CONFLICT ((lower(code))) DO NOTHING RETURNING id`,
          [c.code, c.name, c.tier, c.city],
          `SELECT id FROM tenants WHERE lower(code) = lower($1)`,
          [c.code],
        );
        ctx.ids.tenants.set(c.code, id);
        ctx.count('tenants', inserted);
      }

      for (const e of DEMO_ENTERPRISES) {
        if (!isValidUscc(e.uscc)) throw new Error(`demo USCC ${e.uscc} fails the GB 32100-2015 check`);
        const { id, inserted } = await upsertReturningId(
          m,
          `INSERT INTO enterprises (uscc, name) VALUES ($1, $2) ON CONFLICT (uscc) DO NOTHING RETURNING id`,
          [e.uscc, e.name],
          `SELECT id FROM enterprises WHERE uscc = $1`,
          [e.uscc],
        );
        ctx.ids.enterprises.set(e.uscc, id);
        ctx.count('enterprises', inserted);
      }

      for (const u of DEMO_PROVINCE_USERS) {
        const userId = await ensureUser(ctx, m, u);
        await ensureMembership(ctx, m, { userId, scope: 'province', role: u.role });
      }

      for (const c of DEMO_COLLEGES) {
        const tenantId = ctx.ids.tenants.get(c.code)!;
        for (const [user, role] of [
          [c.admin, 'college-admin'],
          [c.staff, 'college-staff'],
          [c.mentor, 'college-mentor'],
        ] as const) {
          const userId = await ensureUser(ctx, m, user);
          await ensureMembership(ctx, m, { userId, scope: 'college', tenantId, role });
        }
      }

      // An enterprise person holds one membership per partner college (switching is an endpoint).
      for (const e of DEMO_ENTERPRISES) {
        const enterpriseId = ctx.ids.enterprises.get(e.uscc)!;
        const people = [[e.admin, 'enterprise-admin'] as const, ...e.mentors.map((u) => [u, 'enterprise-mentor'] as const)];
        for (const [user, role] of people) {
          const userId = await ensureUser(ctx, m, user);
          for (const code of e.partners) {
            const tenantId = ctx.ids.tenants.get(code);
            if (!tenantId) throw new Error(`enterprise ${e.name} partners with unknown college ${code}`);
            await ensureMembership(ctx, m, { userId, scope: 'enterprise', tenantId, enterpriseId, role });
          }
        }
      }
    });
  },
};

async function upsertReturningId(
  m: EntityManager,
  insertSql: string,
  insertParams: unknown[],
  selectSql: string,
  selectParams: unknown[],
): Promise<{ id: string; inserted: number }> {
  const created: { id: string }[] = await m.query(insertSql, insertParams);
  if (created.length > 0) return { id: created[0].id, inserted: 1 };
  const existing: { id: string }[] = await m.query(selectSql, selectParams);
  if (existing.length === 0) throw new Error(`seed: conflict on insert but no row found (${selectParams.join(', ')})`);
  return { id: existing[0].id, inserted: 0 };
}

/** Finds the user by email or phone; creates it with the demo password only when missing. */
async function ensureUser(ctx: SeedContext, m: EntityManager, u: DemoUser): Promise<string> {
  const login = loginOf(u);
  const cached = ctx.ids.users.get(login);
  if (cached) return cached;
  const found: { id: string }[] = await m.query(
    `SELECT id FROM users WHERE ($1::text IS NOT NULL AND lower(email) = lower($1)) OR ($2::text IS NOT NULL AND phone = $2) ORDER BY created_at LIMIT 1`,
    [u.email ?? null, u.phone ?? null],
  );
  let id = found[0]?.id;
  if (!id) {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO users (email, phone, display_name, password_hash) VALUES ($1, $2, $3, $4) RETURNING id`,
      [u.email ?? null, u.phone ?? null, u.displayName, await hashPassword(DEMO_PASSWORD)],
    );
    id = rows[0].id;
    ctx.count('users', 1);
  }
  ctx.ids.users.set(login, id);
  return id;
}

async function ensureMembership(
  ctx: SeedContext,
  m: EntityManager,
  mb: { userId: string; scope: 'province' | 'college' | 'enterprise'; role: string; tenantId?: string; enterpriseId?: string },
): Promise<void> {
  const rows: { id: string }[] = await m.query(
    `INSERT INTO memberships (user_id, scope, tenant_id, enterprise_id, role) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (user_id, scope, COALESCE(tenant_id, ${NIL}), COALESCE(enterprise_id, ${NIL}), role) DO NOTHING
     RETURNING id`,
    [mb.userId, mb.scope, mb.tenantId ?? null, mb.enterpriseId ?? null, mb.role],
  );
  ctx.count('memberships', rows.length);
}
