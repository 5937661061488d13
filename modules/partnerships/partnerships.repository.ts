import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import type { AgreementStatus, PartnershipStatus } from './dto/partnership.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isIsoTime = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

export interface PartnershipRow {
  id: string;
  programmeId: string;
  programmeName: string;
  enterpriseId: string;
  enterpriseName: string;
  status: PartnershipStatus;
  startedOn: string | null;
  endedOn: string | null;
  version: number;
  createdAt: Date;
}

export interface AgreementRow {
  id: string;
  partnershipId: string;
  enterpriseId: string;
  collegePartyName: string;
  enterprisePartyName: string;
  signedOn: string | null;
  termStart: string;
  termEnd: string;
  rightsAndDuties: string;
  signedFileAttachmentId: string | null;
  status: AgreementStatus;
  terminatedOn: string | null;
  terminationReason: string | null;
  version: number;
  createdAt: Date;
}

export interface PartnershipFilter {
  programmeId?: string;
  enterpriseId?: string;
  status?: PartnershipStatus;
  limit: number;
  cursor?: string;
}

const PARTNERSHIP_SELECT = `
  SELECT p.id, p.programme_id AS "programmeId", pr.name AS "programmeName", p.enterprise_id AS "enterpriseId",
         e.name AS "enterpriseName", p.status, to_char(p.started_on, 'YYYY-MM-DD') AS "startedOn",
         to_char(p.ended_on, 'YYYY-MM-DD') AS "endedOn", p.version, p.created_at AS "createdAt"
  FROM partnerships p
  JOIN programmes pr ON pr.tenant_id = p.tenant_id AND pr.id = p.programme_id
  JOIN enterprises e ON e.id = p.enterprise_id`;

const AGREEMENT_SELECT = `
  SELECT a.id, a.partnership_id AS "partnershipId", p.enterprise_id AS "enterpriseId",
         a.college_party_name AS "collegePartyName", a.enterprise_party_name AS "enterprisePartyName",
         to_char(a.signed_on, 'YYYY-MM-DD') AS "signedOn", to_char(a.term_start, 'YYYY-MM-DD') AS "termStart",
         to_char(a.term_end, 'YYYY-MM-DD') AS "termEnd", a.rights_and_duties AS "rightsAndDuties",
         a.signed_file_attachment_id AS "signedFileAttachmentId", a.status,
         to_char(a.terminated_on, 'YYYY-MM-DD') AS "terminatedOn", a.termination_reason AS "terminationReason",
         a.version, a.created_at AS "createdAt"
  FROM agreements a JOIN partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id`;

/** All SQL of partnerships and agreements (tenant tables: every statement names the current college). */
@Injectable()
export class PartnershipsRepository {
  constructor(
    private readonly txHost: TransactionHost<any>,
    private readonly tenant: TenantContext,
  ) {}

  private get tx() {
    return (this.txHost as Tx).tx;
  }

  private get tenantId() {
    return this.tenant.requireTenantId();
  }

  /** Reads: the current college, or (province scope, no college) every college through the province read policy. */
  private get readTenant(): string | null {
    return this.tenant.tenantId ?? null;
  }

  /** R-PRG-3 race safety: activations of one programme's partners are decided one after the other. */
  async lockProgramme(programmeId: string): Promise<{ id: string; name: string } | undefined> {
    const rows = await this.tx.query('SELECT id, name FROM programmes WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [this.tenantId, programmeId]);
    return rows[0];
  }

  async collegeName(): Promise<string> {
    const rows = await this.tx.query('SELECT name FROM tenants WHERE id = $1', [this.tenantId]);
    return rows[0].name;
  }

  async find(id: string, lock = false): Promise<PartnershipRow | undefined> {
    const rows = await this.tx.query(`${PARTNERSHIP_SELECT} WHERE ($1::uuid IS NULL OR p.tenant_id = $1) AND p.id = $2${lock ? ' FOR UPDATE OF p' : ''}`, [this.readTenant, id]);
    return rows[0];
  }

  async findPair(programmeId: string, enterpriseId: string): Promise<boolean> {
    const rows = await this.tx.query('SELECT 1 FROM partnerships WHERE tenant_id = $1 AND programme_id = $2 AND enterprise_id = $3', [
      this.tenantId,
      programmeId,
      enterpriseId,
    ]);
    return rows.length > 0;
  }

  /** Whether the enterprise has an active partnership with any programme of the current college. */
  async isActivePartner(enterpriseId: string): Promise<boolean> {
    const rows = await this.tx.query(`SELECT 1 FROM partnerships WHERE tenant_id = $1 AND enterprise_id = $2 AND status = 'active' LIMIT 1`, [
      this.tenantId,
      enterpriseId,
    ]);
    return rows.length > 0;
  }

  /** Whether the enterprise is (or was) a partner of the programme: a proposed, active or ended partnership. */
  async isPartnerOfProgramme(programmeId: string, enterpriseId: string, activeOnly: boolean): Promise<boolean> {
    const rows = await this.tx.query(
      `SELECT 1 FROM partnerships WHERE tenant_id = $1 AND programme_id = $2 AND enterprise_id = $3${activeOnly ? ` AND status = 'active'` : ''} LIMIT 1`,
      [this.tenantId, programmeId, enterpriseId],
    );
    return rows.length > 0;
  }

  async insert(programmeId: string, enterpriseId: string): Promise<PartnershipRow> {
    const rows = await this.tx.query('INSERT INTO partnerships (tenant_id, programme_id, enterprise_id) VALUES ($1, $2, $3) RETURNING id', [
      this.tenantId,
      programmeId,
      enterpriseId,
    ]);
    return (await this.find(rows[0].id))!;
  }

  async setStatus(id: string, status: PartnershipStatus, dates: { startedOn?: string; endedOn?: string }): Promise<PartnershipRow> {
    await this.tx.query(
      `UPDATE partnerships SET status = $3, started_on = COALESCE($4::date, started_on), ended_on = COALESCE($5::date, ended_on),
              version = version + 1, updated_at = now()
       WHERE tenant_id = $1 AND id = $2`,
      [this.tenantId, id, status, dates.startedOn ?? null, dates.endedOn ?? null],
    );
    return (await this.find(id))!;
  }

  activeOf(programmeId: string): Promise<PartnershipRow[]> {
    return this.tx.query(`${PARTNERSHIP_SELECT} WHERE p.tenant_id = $1 AND p.programme_id = $2 AND p.status = 'active' ORDER BY p.started_on, p.created_at, p.id`, [
      this.tenantId,
      programmeId,
    ]);
  }

  list(filter: PartnershipFilter): Promise<PartnershipRow[]> {
    const params: unknown[] = [this.readTenant];
    const where = ['($1::uuid IS NULL OR p.tenant_id = $1)'];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.programmeId) add('p.programme_id = ?', filter.programmeId);
    if (filter.enterpriseId) add('p.enterprise_id = ?', filter.enterpriseId);
    if (filter.status) add('p.status = ?', filter.status);
    const after = decodeCursor(filter.cursor, 2);
    if (after) {
      if (!isIsoTime(after[0]) || !UUID.test(String(after[1]))) throw new AppException(PaginationErrors.BAD_CURSOR);
      params.push(after[0], after[1]);
      where.push(`(p.created_at, p.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(filter.limit + 1);
    return this.tx.query(`${PARTNERSHIP_SELECT} WHERE ${where.join(' AND ')} ORDER BY p.created_at, p.id LIMIT $${params.length}`, params);
  }

  // ---- agreements
  async findAgreement(id: string, lock = false): Promise<AgreementRow | undefined> {
    const rows = await this.tx.query(`${AGREEMENT_SELECT} WHERE ($1::uuid IS NULL OR a.tenant_id = $1) AND a.id = $2${lock ? ' FOR UPDATE OF a' : ''}`, [this.readTenant, id]);
    return rows[0];
  }

  agreementsOf(partnershipId: string): Promise<AgreementRow[]> {
    return this.tx.query(`${AGREEMENT_SELECT} WHERE ($1::uuid IS NULL OR a.tenant_id = $1) AND a.partnership_id = $2 ORDER BY a.created_at, a.id`, [this.readTenant, partnershipId]);
  }

  /** Signed agreements of several partnerships (for in-force checks). */
  signedAgreementsOf(partnershipIds: string[]): Promise<AgreementRow[]> {
    if (!partnershipIds.length) return Promise.resolve([]);
    return this.tx.query(`${AGREEMENT_SELECT} WHERE a.tenant_id = $1 AND a.partnership_id = ANY($2::uuid[]) AND a.status = 'signed'`, [
      this.tenantId,
      partnershipIds,
    ]);
  }

  async insertAgreement(v: Pick<AgreementRow, 'partnershipId' | 'collegePartyName' | 'enterprisePartyName' | 'termStart' | 'termEnd' | 'rightsAndDuties'>): Promise<AgreementRow> {
    const rows = await this.tx.query(
      `INSERT INTO agreements (tenant_id, partnership_id, college_party_name, enterprise_party_name, term_start, term_end, rights_and_duties)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [this.tenantId, v.partnershipId, v.collegePartyName, v.enterprisePartyName, v.termStart, v.termEnd, v.rightsAndDuties],
    );
    return (await this.findAgreement(rows[0].id))!;
  }

  async updateAgreement(
    id: string,
    v: Partial<Pick<AgreementRow, 'termStart' | 'termEnd' | 'rightsAndDuties' | 'status' | 'signedOn' | 'signedFileAttachmentId' | 'terminatedOn' | 'terminationReason'>>,
  ): Promise<AgreementRow> {
    const columns: Record<string, string> = {
      termStart: 'term_start',
      termEnd: 'term_end',
      rightsAndDuties: 'rights_and_duties',
      status: 'status',
      signedOn: 'signed_on',
      signedFileAttachmentId: 'signed_file_attachment_id',
      terminatedOn: 'terminated_on',
      terminationReason: 'termination_reason',
    };
    const params: unknown[] = [this.tenantId, id];
    const sets = ['version = version + 1', 'updated_at = now()'];
    for (const [k, v2] of Object.entries(v)) {
      if (v2 === undefined) continue;
      params.push(v2);
      sets.push(`${columns[k]} = $${params.length}`);
    }
    await this.tx.query(`UPDATE agreements SET ${sets.join(', ')} WHERE tenant_id = $1 AND id = $2`, params);
    return (await this.findAgreement(id))!;
  }
}
