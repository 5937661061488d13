import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TenantScopedRepository } from '../../src/database/tenant-scoped.repository';
import type { Tx } from '../../src/database/transaction-host';
import { decodeCursor } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { Certificate, CertificateKind, CertificateStatus } from './certificate.entity';

export interface CertificateRow {
  id: string;
  studentId: string;
  studentName: string;
  cohortId: string;
  kind: CertificateKind;
  occupation: string;
  level: string;
  number: string;
  issuer: string;
  issuedOn: string;
  attachmentId: string | null;
  status: CertificateStatus;
  rejectReason: string | null;
  verifiedBy: string | null;
  verifiedAt: Date | null;
  version: number;
  createdAt: Date;
}

export interface NewCertificate {
  studentId: string;
  kind: CertificateKind;
  occupation: string;
  level: string;
  number: string;
  issuer: string;
  issuedOn: string;
  attachmentId: string | null;
}

const SELECT = `
  SELECT ce.id, ce.student_id AS "studentId", s.name AS "studentName", s.cohort_id AS "cohortId", ce.kind, ce.occupation, ce.level, ce.number,
         ce.issuer, ce.issued_on::text AS "issuedOn", ce.attachment_id AS "attachmentId", ce.status, ce.reject_reason AS "rejectReason",
         ce.verified_by AS "verifiedBy", ce.verified_at AS "verifiedAt", ce.version, ce.created_at AS "createdAt"
  FROM certificates ce JOIN students s ON s.tenant_id = ce.tenant_id AND s.id = ce.student_id`;

/** A college mentor sees only the certificates of active mentees. */
const MENTEE = (p: string) =>
  ` AND EXISTS (SELECT 1 FROM mentorships vm WHERE vm.tenant_id = ce.tenant_id AND vm.student_id = ce.student_id AND vm.side = 'college' AND vm.staff_member_id = ${p} AND vm.ended_on IS NULL)`;

/** All SQL on `certificates` (R-EVA-3 ① ②). */
@Injectable()
export class CertificatesRepository extends TenantScopedRepository<Certificate> {
  constructor(txHost: TransactionHost<any>, tenant: TenantContext) {
    super(txHost as Tx, tenant, Certificate);
  }

  private get t(): string {
    return this.tenant.requireTenantId();
  }

  async row(id: string, menteeOf?: string, lock = false): Promise<CertificateRow | undefined> {
    const params: unknown[] = [this.t, id];
    let cond = '';
    if (menteeOf) {
      params.push(menteeOf);
      cond = MENTEE(`$${params.length}`);
    }
    const rows = await this.manager.query(`${SELECT} WHERE ce.tenant_id = $1 AND ce.id = $2${cond}${lock ? ' FOR UPDATE OF ce' : ''}`, params);
    return rows[0];
  }

  async list(q: { studentId?: string; cohortId?: string; status?: CertificateStatus; limit: number; cursor?: string }, menteeOf?: string): Promise<CertificateRow[]> {
    const params: unknown[] = [this.t];
    let cond = '';
    const add = (sql: (p: string) => string, v: unknown) => {
      params.push(v);
      cond += sql(`$${params.length}`);
    };
    if (q.studentId) add((p) => ` AND ce.student_id = ${p}`, q.studentId);
    if (q.cohortId) add((p) => ` AND s.cohort_id = ${p}`, q.cohortId);
    if (q.status) add((p) => ` AND ce.status = ${p}`, q.status);
    if (menteeOf) add(MENTEE, menteeOf);
    const after = decodeCursor(q.cursor, 2);
    if (after) {
      params.push(after[0], after[1]);
      cond += ` AND (ce.created_at, ce.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(q.limit + 1);
    return this.manager.query(`${SELECT} WHERE ce.tenant_id = $1${cond} ORDER BY ce.created_at DESC, ce.id DESC LIMIT $${params.length}`, params);
  }

  async studentExists(id: string): Promise<boolean> {
    return (await this.manager.query(`SELECT 1 FROM students WHERE tenant_id = $1 AND id = $2`, [this.t, id])).length > 0;
  }

  /** Students of the college by ID blind index (hex of the hash → id and name). */
  async studentsByIdHash(hashes: Buffer[]): Promise<Map<string, { id: string; name: string }>> {
    if (!hashes.length) return new Map();
    const rows: { id: string; name: string; hash: Buffer }[] = await this.manager.query(
      `SELECT id, name, id_number_hash AS hash FROM students WHERE tenant_id = $1 AND id_number_hash = ANY($2::bytea[])`,
      [this.t, hashes],
    );
    return new Map(rows.map((r) => [Buffer.from(r.hash).toString('hex'), { id: r.id, name: r.name }]));
  }

  /** Existing certificates by natural key `kind|issuer (lower)|number`, with their student. */
  async existing(keys: { kind: string; issuer: string; number: string }[]): Promise<Map<string, string>> {
    if (!keys.length) return new Map();
    const rows: { k: string; studentId: string }[] = await this.manager.query(
      `SELECT ce.kind || '|' || lower(ce.issuer) || '|' || ce.number AS k, ce.student_id AS "studentId"
       FROM certificates ce JOIN jsonb_to_recordset($2::jsonb) AS x(kind varchar, issuer varchar, number varchar)
         ON ce.kind = x.kind AND lower(ce.issuer) = lower(x.issuer) AND ce.number = x.number
       WHERE ce.tenant_id = $1`,
      [this.t, JSON.stringify(keys)],
    );
    return new Map(rows.map((r) => [r.k, r.studentId]));
  }

  async insertMany(rows: NewCertificate[], userId: string | null): Promise<string[]> {
    if (!rows.length) return [];
    const out: { id: string }[] = await this.manager.query(
      `INSERT INTO certificates (tenant_id, student_id, kind, occupation, level, number, issuer, issued_on, attachment_id, created_by)
       SELECT $1, x.student_id, x.kind, x.occupation, x.level, x.number, x.issuer, x.issued_on, x.attachment_id, $2
       FROM jsonb_to_recordset($3::jsonb) AS x(student_id uuid, kind varchar, occupation varchar, level varchar, number varchar, issuer varchar,
                                               issued_on date, attachment_id uuid)
       RETURNING id`,
      [
        this.t,
        userId,
        JSON.stringify(rows.map((r) => ({ student_id: r.studentId, kind: r.kind, occupation: r.occupation, level: r.level, number: r.number, issuer: r.issuer, issued_on: r.issuedOn, attachment_id: r.attachmentId }))),
      ],
    );
    return out.map((r) => r.id);
  }

  async decide(id: string, status: 'verified' | 'rejected', userId: string, reason: string | null): Promise<void> {
    await this.manager.query(
      `UPDATE certificates SET status = $3, reject_reason = $4, verified_by = $5, verified_at = now(), version = version + 1, updated_at = now()
       WHERE tenant_id = $1 AND id = $2`,
      [this.t, id, status, reason, userId],
    );
  }
}
