import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { DataSource } from 'typeorm';
import type { AuthState } from '../../src/auth/auth-state.port';
import type { Tx } from '../../src/database/transaction-host';
import { decodeCursor } from '../../src/http/pagination';
import { Invitation } from './invitation.entity';
import { Membership } from './membership.entity';
import { RefreshToken } from './refresh-token.entity';
import { User } from './user.entity';

/** A membership with what a token and a menu need about its place. */
export interface MembershipRow {
  id: string;
  userId: string;
  scope: Membership['scope'];
  role: Membership['role'];
  status: Membership['status'];
  tenantId: string | null;
  tenantName: string | null;
  tenantStatus: string | null;
  enterpriseId: string | null;
  enterpriseName: string | null;
  createdAt: Date;
}

export interface MemberListFilter {
  tenantId?: string | null;
  enterpriseId?: string;
  provinceOnly?: boolean;
  role?: string;
  status?: string;
  limit: number;
  cursor?: string;
}

export interface MemberListRow extends MembershipRow {
  displayName: string;
  email: string | null;
  phone: string | null;
}

const MEMBERSHIP_SELECT = `
  SELECT m.id, m.user_id AS "userId", m.scope, m.role, m.status, m.tenant_id AS "tenantId",
         t.name AS "tenantName", t.status AS "tenantStatus", m.enterprise_id AS "enterpriseId",
         e.name AS "enterpriseName", m.created_at AS "createdAt"
  FROM memberships m
  LEFT JOIN tenants t ON t.id = m.tenant_id
  LEFT JOIN enterprises e ON e.id = m.enterprise_id`;

/** All SQL of users, memberships, refresh tokens and invitations (control-plane tables). */
@Injectable()
export class IdentityRepository {
  constructor(
    private readonly txHost: TransactionHost<any>,
    private readonly dataSource: DataSource,
  ) {}

  private get tx() {
    return (this.txHost as Tx).tx;
  }

  // ---- auth state: read on the access path, outside any transaction (control plane, no RLS)
  async loadAuthState(membershipId: string): Promise<AuthState | undefined> {
    const rows = await this.dataSource.query(
      `SELECT m.id, m.user_id AS "userId",
              (m.status = 'active' AND u.status = 'active' AND (t.id IS NULL OR t.status = 'active')) AS active,
              floor(extract(epoch FROM u.password_changed_at) * 1000)::bigint AS "pv"
       FROM memberships m JOIN users u ON u.id = m.user_id LEFT JOIN tenants t ON t.id = m.tenant_id
       WHERE m.id = $1`,
      [membershipId],
    );
    const r = rows[0];
    return r ? { membershipId: r.id, userId: r.userId, active: r.active, passwordChangedAt: Number(r.pv) } : undefined;
  }

  // ---- users
  findUserByLogin(login: string): Promise<(User & { passwordHash: string | null }) | null> {
    const isPhone = /^\d{11}$/.test(login);
    return this.tx
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where(isPhone ? 'u.phone = :login' : 'lower(u.email) = lower(:login)', { login })
      .getOne() as Promise<(User & { passwordHash: string | null }) | null>;
  }

  findUserWithHash(id: string): Promise<(User & { passwordHash: string | null }) | null> {
    return this.tx
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id })
      .getOne() as Promise<(User & { passwordHash: string | null }) | null>;
  }

  findUser(id: string): Promise<User | null> {
    return this.tx.getRepository(User).findOne({ where: { id } });
  }

  insertUser(values: Pick<User, 'email' | 'phone' | 'displayName'> & { passwordHash: string }): Promise<User> {
    const repo = this.tx.getRepository(User);
    return repo.save(repo.create({ ...values, status: 'active', passwordChangedAt: new Date() }));
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    // ms precision: tokens carry the change time as their password version
    await this.tx.query(
      `UPDATE users SET password_hash = $2, password_changed_at = date_trunc('milliseconds', clock_timestamp()),
              version = version + 1, updated_at = now()
       WHERE id = $1`,
      [userId, passwordHash],
    );
  }

  // ---- memberships
  async membershipsOfUser(userId: string): Promise<MembershipRow[]> {
    return this.tx.query(`${MEMBERSHIP_SELECT} WHERE m.user_id = $1 ORDER BY m.created_at, m.id`, [userId]);
  }

  async membership(id: string): Promise<MembershipRow | undefined> {
    const rows = await this.tx.query(`${MEMBERSHIP_SELECT} WHERE m.id = $1`, [id]);
    return rows[0];
  }

  async membershipExists(m: Pick<Membership, 'userId' | 'scope' | 'tenantId' | 'enterpriseId' | 'role'>): Promise<boolean> {
    const rows = await this.tx.query(
      `SELECT 1 FROM memberships WHERE user_id = $1 AND scope = $2 AND tenant_id IS NOT DISTINCT FROM $3
         AND enterprise_id IS NOT DISTINCT FROM $4 AND role = $5`,
      [m.userId, m.scope, m.tenantId, m.enterpriseId, m.role],
    );
    return rows.length > 0;
  }

  insertMembership(values: Pick<Membership, 'userId' | 'scope' | 'tenantId' | 'enterpriseId' | 'role'>): Promise<Membership> {
    const repo = this.tx.getRepository(Membership);
    return repo.save(repo.create({ ...values, status: 'active' }));
  }

  async setMembershipStatus(id: string, status: Membership['status']): Promise<void> {
    await this.tx.query('UPDATE memberships SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
  }

  /** Members of one place, keyset on (created_at, id). */
  async listMembers(filter: MemberListFilter): Promise<MemberListRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.provinceOnly) where.push(`m.scope = 'province'`);
    if (filter.tenantId) add('m.tenant_id = ?', filter.tenantId);
    if (filter.enterpriseId) add('m.enterprise_id = ?', filter.enterpriseId);
    if (filter.role) add('m.role = ?', filter.role);
    if (filter.status) add('m.status = ?', filter.status);
    const after = decodeCursor(filter.cursor, 2);
    if (after) {
      params.push(after[0], after[1]);
      where.push(`(m.created_at, m.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(filter.limit + 1);
    return this.tx.query(
      `SELECT x.*, u.display_name AS "displayName", u.email, u.phone FROM (
         ${MEMBERSHIP_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY m.created_at, m.id LIMIT $${params.length}
       ) x JOIN users u ON u.id = x."userId" ORDER BY x."createdAt", x.id`,
      params,
    );
  }

  // ---- refresh tokens
  async insertRefreshToken(values: Pick<RefreshToken, 'familyId' | 'userId' | 'membershipId' | 'tokenHash' | 'expiresAt'>): Promise<void> {
    const repo = this.tx.getRepository(RefreshToken);
    await repo.insert(repo.create(values));
  }

  /** Locks the row so two refreshes of one token are decided one after the other. */
  findRefreshTokenForUpdate(tokenHash: Buffer): Promise<RefreshToken | null> {
    return this.tx
      .getRepository(RefreshToken)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.tokenHash = :h', { h: tokenHash })
      .getOne();
  }

  async markRefreshTokenUsed(id: string): Promise<void> {
    await this.tx.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [id]);
  }

  async revokeFamily(familyId: string, reason: string): Promise<void> {
    await this.tx.query(
      'UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $2 WHERE family_id = $1 AND revoked_at IS NULL',
      [familyId, reason],
    );
  }

  async revokeAllOfUser(userId: string, reason: string): Promise<void> {
    await this.tx.query(
      'UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL',
      [userId, reason],
    );
  }

  async revokeAllOfMembership(membershipId: string, reason: string): Promise<void> {
    await this.tx.query(
      'UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $2 WHERE membership_id = $1 AND revoked_at IS NULL',
      [membershipId, reason],
    );
  }

  // ---- invitations
  insertInvitation(values: Omit<Invitation, 'id' | 'createdAt' | 'acceptedAt' | 'acceptedUserId'>): Promise<Invitation> {
    const repo = this.tx.getRepository(Invitation);
    return repo.save(repo.create({ ...values, acceptedAt: null, acceptedUserId: null }));
  }

  findInvitationByHashForUpdate(tokenHash: Buffer): Promise<Invitation | null> {
    return this.tx
      .getRepository(Invitation)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.tokenHash = :h', { h: tokenHash })
      .getOne();
  }

  async markInvitationAccepted(id: string, userId: string): Promise<void> {
    await this.tx.query('UPDATE invitations SET accepted_at = now(), accepted_user_id = $2 WHERE id = $1', [id, userId]);
  }

  async tenantExists(id: string): Promise<boolean> {
    return (await this.tx.query('SELECT 1 FROM tenants WHERE id = $1', [id])).length > 0;
  }

  async enterpriseExists(id: string): Promise<boolean> {
    return (await this.tx.query('SELECT 1 FROM enterprises WHERE id = $1', [id])).length > 0;
  }

  /** "某某技师学院 · 某某企业" for an invitation's text; empty for province roles. */
  async placeName(tenantId: string | null, enterpriseId: string | null): Promise<string> {
    const rows: { tenant: string | null; enterprise: string | null }[] = await this.tx.query(
      `SELECT (SELECT name FROM tenants WHERE id = $1) AS tenant, (SELECT name FROM enterprises WHERE id = $2) AS enterprise`,
      [tenantId, enterpriseId],
    );
    return [rows[0]?.tenant, rows[0]?.enterprise].filter(Boolean).join(' · ');
  }

  // ---- password resets (issue 13): hashed one-time tokens, control plane like refresh tokens

  async insertPasswordReset(values: { userId: string; channel: 'email' | 'sms'; tokenHash: Buffer; expiresAt: Date; ip: string | null }): Promise<void> {
    // a new request replaces any earlier one still open: only the newest link or code works
    await this.tx.query(`UPDATE password_resets SET expires_at = LEAST(expires_at, now()) WHERE user_id = $1 AND used_at IS NULL`, [values.userId]);
    await this.tx.query(
      `INSERT INTO password_resets (user_id, channel, token_hash, expires_at, requested_ip) VALUES ($1, $2, $3, $4, $5)`,
      [values.userId, values.channel, values.tokenHash, values.expiresAt, values.ip],
    );
  }

  async passwordResetForUpdate(tokenHash: Buffer): Promise<{ id: string; userId: string; expiresAt: Date; usedAt: Date | null } | undefined> {
    const rows = await this.tx.query(
      `SELECT id, user_id AS "userId", expires_at AS "expiresAt", used_at AS "usedAt" FROM password_resets WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return rows[0];
  }

  async markPasswordResetUsed(id: string): Promise<void> {
    await this.tx.query(`UPDATE password_resets SET used_at = now() WHERE id = $1`, [id]);
  }
}
