import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Role } from '../../src/auth/roles';
import { scopeOfRole } from '../../src/auth/roles';
import { hashPassword } from '../../src/auth/password';
import { ownerClient } from '../setup/db';

export const TEST_PASSWORD = 'Jishi2026test';
let cachedHash: Promise<string> | undefined;
const passwordHash = () => (cachedHash ??= hashPassword(TEST_PASSWORD));

const tag = () => randomBytes(4).toString('hex');

/**
 * Fixtures written through the owner connection (control-plane tables carry no RLS);
 * everything under test then goes through the API as the runtime role.
 */
export class IdentityFactory {
  private constructor(private readonly db: Client) {}

  static async open(): Promise<IdentityFactory> {
    return new IdentityFactory(await ownerClient());
  }

  close(): Promise<void> {
    return this.db.end();
  }

  query(sql: string, params: unknown[] = []) {
    return this.db.query(sql, params);
  }

  /** Reads through RLS with province scope (the owner is subject to FORCE ROW LEVEL SECURITY too). */
  async provinceQuery(sql: string, params: unknown[] = []) {
    await this.db.query('BEGIN');
    try {
      await this.db.query("SELECT set_config('app.scope', 'province', true)");
      const r = await this.db.query(sql, params);
      await this.db.query('COMMIT');
      return r;
    } catch (e) {
      await this.db.query('ROLLBACK');
      throw e;
    }
  }

  async tenant(values: Partial<{ code: string; name: string; tier: string; city: string; status: string }> = {}): Promise<string> {
    const r = await this.db.query(
      `INSERT INTO tenants (code, name, tier, city, status) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [values.code ?? `T${tag()}`, values.name ?? `测试技师学院${tag()}`, values.tier ?? 'batch1', values.city ?? '广州', values.status ?? 'active'],
    );
    return r.rows[0].id;
  }

  async enterprise(name = `测试企业${tag()}`): Promise<string> {
    const r = await this.db.query(`INSERT INTO enterprises (uscc, name) VALUES ($1, $2) RETURNING id`, [
      `91440${randomBytes(7).toString('hex').slice(0, 13).toUpperCase()}`.slice(0, 18),
      name,
    ]);
    return r.rows[0].id;
  }

  /** A user with one membership; returns its ids and login. */
  async member(role: Role, place: { tenantId?: string; enterpriseId?: string } = {}) {
    const email = `${role}.${tag()}@test.demo`;
    const user = await this.db.query(
      `INSERT INTO users (email, display_name, password_hash) VALUES ($1, $2, $3) RETURNING id`,
      [email, `测试${role}`, await passwordHash()],
    );
    const membershipId = randomUUID();
    await this.db.query(
      `INSERT INTO memberships (id, user_id, scope, tenant_id, enterprise_id, role) VALUES ($1, $2, $3, $4, $5, $6)`,
      [membershipId, user.rows[0].id, scopeOfRole(role), place.tenantId ?? null, place.enterpriseId ?? null, role],
    );
    return { userId: user.rows[0].id as string, membershipId, email, role };
  }

  async addMembership(userId: string, role: Role, place: { tenantId?: string; enterpriseId?: string } = {}): Promise<string> {
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO memberships (id, user_id, scope, tenant_id, enterprise_id, role) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, userId, scopeOfRole(role), place.tenantId ?? null, place.enterpriseId ?? null, role],
    );
    return id;
  }
}
