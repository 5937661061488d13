import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { Enterprise, ProfileChanges } from './enterprise.entity';
import { Offering, OfferingKind } from './offering.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const likeOf = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface EnterpriseFilter {
  /** all: the province; tenant: enterprises linked to the current college; own: one enterprise */
  visibility: 'all' | 'tenant' | 'own';
  enterpriseId?: string;
  q?: string;
  clusterCode?: string;
  limit: number;
  cursor?: string;
}

export interface CooperationRow {
  id: string;
  enterpriseId: string;
  kind: string;
  partnerCollege: string;
  title: string;
  startedOn: string;
  endedOn: string | null;
  evidence: string | null;
  attachmentId: string | null;
  createdAt: Date;
}

export interface ProposalRow {
  id: string;
  tenantId: string;
  enterpriseId: string;
  changes: ProfileChanges;
  note: string | null;
  status: 'pending' | 'accepted' | 'rejected';
  rejectReason: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}

export interface OfferingFilter {
  enterpriseId?: string;
  kind?: OfferingKind;
  programmeId?: string;
  limit: number;
  cursor?: string;
}

const COOPERATION_SELECT = `SELECT id, enterprise_id AS "enterpriseId", kind, partner_college AS "partnerCollege", title,
  to_char(started_on, 'YYYY-MM-DD') AS "startedOn", to_char(ended_on, 'YYYY-MM-DD') AS "endedOn", evidence,
  attachment_id AS "attachmentId", created_at AS "createdAt" FROM enterprise_cooperations`;

const PROPOSAL_SELECT = `SELECT id, tenant_id AS "tenantId", enterprise_id AS "enterpriseId", changes, note, status,
  reject_reason AS "rejectReason", decided_at AS "decidedAt", created_at AS "createdAt" FROM enterprise_change_proposals`;

/**
 * All SQL of the enterprises module: the registry and cooperation history (control plane),
 * and the tenant tables college_enterprises, enterprise_change_proposals and
 * enterprise_offerings (every query on those also names the current college).
 */
@Injectable()
export class EnterprisesRepository {
  constructor(
    private readonly txHost: TransactionHost<any>,
    private readonly tenant: TenantContext,
  ) {}

  private get tx() {
    return (this.txHost as Tx).tx;
  }

  private get enterprises() {
    return this.tx.getRepository(Enterprise);
  }

  private get offerings() {
    return this.tx.getRepository(Offering);
  }

  // ---- registry
  findById(id: string): Promise<Enterprise | null> {
    return this.enterprises.findOne({ where: { id } });
  }

  findByIdForUpdate(id: string): Promise<Enterprise | null> {
    return this.enterprises.createQueryBuilder('e').setLock('pessimistic_write').where('e.id = :id', { id }).getOne();
  }

  findByUscc(uscc: string): Promise<Enterprise | null> {
    return this.enterprises.findOne({ where: { uscc } });
  }

  /** Inserts unless the USCC exists (a concurrent registration wins); null when it did. */
  async insertUnlessExists(values: Partial<Enterprise>): Promise<Enterprise | null> {
    const result = await this.enterprises
      .createQueryBuilder()
      .insert()
      .into(Enterprise)
      .values(values)
      .orIgnore()
      .returning('id')
      .execute();
    const id = result.raw?.[0]?.id as string | undefined;
    return id ? this.findById(id) : null;
  }

  save(e: Enterprise): Promise<Enterprise> {
    return this.enterprises.save(e);
  }

  async list(filter: EnterpriseFilter): Promise<Enterprise[]> {
    const qb = this.enterprises.createQueryBuilder('e').orderBy('e.name', 'ASC').addOrderBy('e.id', 'ASC').limit(filter.limit + 1);
    if (filter.visibility === 'tenant') {
      qb.andWhere('e.id IN (SELECT ce.enterprise_id FROM college_enterprises ce WHERE ce.tenant_id = :tenantId)', {
        tenantId: this.tenant.requireTenantId(),
      });
    }
    if (filter.visibility === 'own') qb.andWhere('e.id = :own', { own: filter.enterpriseId });
    if (filter.q) qb.andWhere("(e.name ILIKE :q ESCAPE '\\' OR e.uscc ILIKE :q ESCAPE '\\')", { q: likeOf(filter.q) });
    if (filter.clusterCode) qb.andWhere(':cluster = ANY(e.cluster_codes)', { cluster: filter.clusterCode });
    const after = decodeCursor(filter.cursor, 2);
    if (after && (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1]))) {
      throw new AppException(PaginationErrors.BAD_CURSOR);
    }
    if (after) qb.andWhere('(e.name, e.id) > (:name, :id::uuid)', { name: after[0], id: after[1] });
    return qb.getMany();
  }

  // ---- the college's own list (tenant table)
  async isLinked(enterpriseId: string): Promise<boolean> {
    const rows = await this.tx.query('SELECT 1 FROM college_enterprises WHERE tenant_id = $1 AND enterprise_id = $2', [
      this.tenant.requireTenantId(),
      enterpriseId,
    ]);
    return rows.length > 0;
  }

  /** true when the link is new. */
  async link(enterpriseId: string, userId: string | null): Promise<boolean> {
    const rows = await this.tx.query(
      `INSERT INTO college_enterprises (tenant_id, enterprise_id, linked_by) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, enterprise_id) DO NOTHING RETURNING id`,
      [this.tenant.requireTenantId(), enterpriseId, userId],
    );
    return rows.length > 0;
  }

  // ---- cooperation history (control plane, belongs to the enterprise)
  listCooperations(enterpriseId: string): Promise<CooperationRow[]> {
    return this.tx.query(`${COOPERATION_SELECT} WHERE enterprise_id = $1 ORDER BY started_on DESC, id`, [enterpriseId]);
  }

  async findCooperation(enterpriseId: string, id: string): Promise<CooperationRow | undefined> {
    const rows = await this.tx.query(`${COOPERATION_SELECT} WHERE enterprise_id = $1 AND id = $2`, [enterpriseId, id]);
    return rows[0];
  }

  async insertCooperation(v: Omit<CooperationRow, 'id' | 'createdAt'> & { createdBy: string }): Promise<CooperationRow> {
    const rows = await this.tx.query(
      `INSERT INTO enterprise_cooperations (enterprise_id, kind, partner_college, title, started_on, ended_on, evidence, attachment_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [v.enterpriseId, v.kind, v.partnerCollege, v.title, v.startedOn, v.endedOn, v.evidence, v.attachmentId, v.createdBy],
    );
    return (await this.findCooperation(v.enterpriseId, rows[0].id))!;
  }

  async deleteCooperation(enterpriseId: string, id: string): Promise<void> {
    await this.tx.query('DELETE FROM enterprise_cooperations WHERE enterprise_id = $1 AND id = $2', [enterpriseId, id]);
  }

  // ---- change proposals (tenant table)
  async insertProposal(enterpriseId: string, changes: ProfileChanges, note: string | null, proposedBy: string): Promise<ProposalRow> {
    const rows = await this.tx.query(
      `INSERT INTO enterprise_change_proposals (tenant_id, enterprise_id, changes, note, proposed_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [this.tenant.requireTenantId(), enterpriseId, JSON.stringify(changes), note, proposedBy],
    );
    return (await this.findProposal(rows[0].id))!;
  }

  async findProposal(id: string, lock = false): Promise<ProposalRow | undefined> {
    const rows = await this.tx.query(`${PROPOSAL_SELECT} WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [
      this.tenant.requireTenantId(),
      id,
    ]);
    return rows[0];
  }

  /** Proposals on one enterprise: the current college's, or (province, no college) every college's. */
  listProposals(enterpriseId: string): Promise<ProposalRow[]> {
    const tenantId = this.tenant.tenantId;
    return tenantId
      ? this.tx.query(`${PROPOSAL_SELECT} WHERE tenant_id = $1 AND enterprise_id = $2 ORDER BY created_at DESC, id`, [tenantId, enterpriseId])
      : this.tx.query(`${PROPOSAL_SELECT} WHERE enterprise_id = $1 ORDER BY created_at DESC, id`, [enterpriseId]);
  }

  async decideProposal(id: string, status: 'accepted' | 'rejected', decidedBy: string, rejectReason: string | null): Promise<void> {
    await this.tx.query(
      `UPDATE enterprise_change_proposals SET status = $3, decided_by = $4, decided_at = now(), reject_reason = $5,
              version = version + 1, updated_at = now()
       WHERE tenant_id = $1 AND id = $2`,
      [this.tenant.requireTenantId(), id, status, decidedBy, rejectReason],
    );
  }

  // ---- offerings (tenant table)
  findOffering(id: string): Promise<Offering | null> {
    return this.offerings.findOne({ where: { id, tenantId: this.tenant.requireTenantId() } });
  }

  async insertOffering(values: Omit<Offering, 'id' | 'tenantId' | 'version' | 'createdAt' | 'updatedAt'>): Promise<Offering> {
    const saved = await this.offerings.save(this.offerings.create({ ...values, tenantId: this.tenant.requireTenantId() }));
    return (await this.findOffering(saved.id))!;
  }

  saveOffering(o: Offering): Promise<Offering> {
    return this.offerings.save(o);
  }

  async deleteOffering(id: string): Promise<void> {
    await this.offerings.delete({ id, tenantId: this.tenant.requireTenantId() });
  }

  listOfferings(filter: OfferingFilter): Promise<Offering[]> {
    const qb = this.offerings
      .createQueryBuilder('o')
      .where('o.tenantId = :tenantId', { tenantId: this.tenant.requireTenantId() })
      .orderBy('o.title', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .limit(filter.limit + 1);
    if (filter.enterpriseId) qb.andWhere('o.enterpriseId = :enterpriseId', { enterpriseId: filter.enterpriseId });
    if (filter.kind) qb.andWhere('o.kind = :kind', { kind: filter.kind });
    if (filter.programmeId) qb.andWhere('o.programmeId = :programmeId', { programmeId: filter.programmeId });
    const after = decodeCursor(filter.cursor, 2);
    if (after && (typeof after[0] !== 'string' || !UUID.test(String(after[1])))) throw new AppException(PaginationErrors.BAD_CURSOR);
    if (after) qb.andWhere('(o.title, o.id) > (:title, :id::uuid)', { title: after[0], id: after[1] });
    return qb.getMany();
  }

  // ---- criteria (R-ENT-2, R-ENT-3) in the current college
  async countActiveMentors(enterpriseId: string): Promise<number> {
    // staff records (issue 4): a mentor the enterprise has confirmed and who has not left
    const rows = await this.tx.query(
      `SELECT count(*)::int AS n FROM staff_members
       WHERE tenant_id = $1 AND enterprise_id = $2 AND side = 'enterprise' AND status = 'active' AND confirmation = 'confirmed'`,
      [this.tenant.requireTenantId(), enterpriseId],
    );
    return rows[0].n;
  }

  async countOfferings(enterpriseId: string): Promise<{ posts: number; projects: number }> {
    const rows = await this.tx.query(
      `SELECT count(*) FILTER (WHERE kind = 'post')::int AS posts, count(*) FILTER (WHERE kind = 'project')::int AS projects
       FROM enterprise_offerings WHERE tenant_id = $1 AND enterprise_id = $2`,
      [this.tenant.requireTenantId(), enterpriseId],
    );
    return rows[0];
  }

  /** Whether the enterprise has a partnership (proposed or active) with the programme of the current college. */
  async enterprisePartnersProgramme(programmeId: string, enterpriseId: string): Promise<boolean> {
    const rows = await this.tx.query(
      `SELECT 1 FROM partnerships WHERE tenant_id = $1 AND programme_id = $2 AND enterprise_id = $3 AND status <> 'ended' LIMIT 1`,
      [this.tenant.requireTenantId(), programmeId, enterpriseId],
    );
    return rows.length > 0;
  }
}
