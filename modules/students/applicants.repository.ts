import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Tx } from '../../src/database/transaction-host';
import { TenantContext } from '../../src/tenancy/tenant-context';
import type { Gender } from './student.entity';

export type ApplicantResult = 'pending' | 'admitted' | 'rejected';

export interface ApplicantRow {
  id: string;
  cohortId: string;
  name: string;
  gender: Gender;
  dateOfBirth: string;
  idNumberMasked: string;
  mobileMasked: string | null;
  entryLevel: string;
  scores: Record<string, number>;
  totalScore: number;
  result: ApplicantResult;
  resultReason: string | null;
  admissionRank: number | null;
  studentId: string | null;
  createdAt: Date;
}

/** The sealed columns, for turning an admitted applicant into a student without decrypting. */
export interface ApplicantSealed extends ApplicantRow {
  idNumberEnc: Buffer;
  idNumberHash: Buffer;
  mobileEnc: Buffer | null;
}

const COLUMNS = `a.id, a.cohort_id AS "cohortId", a.name, a.gender, a.date_of_birth::text AS "dateOfBirth", a.id_number_masked AS "idNumberMasked",
  a.mobile_masked AS "mobileMasked", a.entry_level AS "entryLevel", a.scores, a.total_score::float8 AS "totalScore", a.result,
  a.result_reason AS "resultReason", a.admission_rank AS "admissionRank",
  (SELECT s.id FROM students s WHERE s.tenant_id = a.tenant_id AND s.applicant_id = a.id) AS "studentId", a.created_at AS "createdAt"`;

/** All SQL on `applicants` (tenant table). */
@Injectable()
export class ApplicantsRepository {
  constructor(
    private readonly txHost: TransactionHost<any>,
    private readonly tenant: TenantContext,
  ) {}

  private get manager() {
    return (this.txHost as Tx).tx;
  }

  async insert(v: Omit<ApplicantSealed, 'id' | 'result' | 'resultReason' | 'admissionRank' | 'studentId' | 'createdAt' | 'idNumberMasked' | 'mobileMasked'> & {
    idNumberMasked: string;
    mobileMasked: string | null;
    createdBy: string | null;
  }): Promise<string> {
    const rows = await this.manager.query(
      `INSERT INTO applicants (tenant_id, cohort_id, name, gender, date_of_birth, id_number_enc, id_number_hash, id_number_masked, mobile_enc, mobile_masked,
                               entry_level, scores, total_score, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
      [
        this.tenant.requireTenantId(),
        v.cohortId,
        v.name,
        v.gender,
        v.dateOfBirth,
        v.idNumberEnc,
        v.idNumberHash,
        v.idNumberMasked,
        v.mobileEnc,
        v.mobileMasked,
        v.entryLevel,
        JSON.stringify(v.scores),
        v.totalScore,
        v.createdBy,
      ],
    );
    return rows[0].id;
  }

  async hashTaken(cohortId: string, hash: Buffer): Promise<boolean> {
    const rows = await this.manager.query(
      `SELECT EXISTS (SELECT 1 FROM applicants WHERE tenant_id = $1 AND cohort_id = $2 AND id_number_hash = $3) AS taken`,
      [this.tenant.requireTenantId(), cohortId, hash],
    );
    return rows[0].taken === true;
  }

  async find(id: string): Promise<ApplicantRow | undefined> {
    return (await this.manager.query(`SELECT ${COLUMNS} FROM applicants a WHERE a.tenant_id = $1 AND a.id = $2`, [this.tenant.requireTenantId(), id]))[0];
  }

  async lock(id: string): Promise<ApplicantRow | undefined> {
    return (await this.manager.query(`SELECT ${COLUMNS} FROM applicants a WHERE a.tenant_id = $1 AND a.id = $2 FOR UPDATE`, [this.tenant.requireTenantId(), id]))[0];
  }

  /** By rank: total score (high first), then the earlier registration (the stated tie rule), then id. */
  ofCohort(cohortId: string): Promise<ApplicantRow[]> {
    return this.manager.query(`SELECT ${COLUMNS} FROM applicants a WHERE a.tenant_id = $1 AND a.cohort_id = $2 ORDER BY a.total_score DESC, a.created_at, a.id`, [
      this.tenant.requireTenantId(),
      cohortId,
    ]);
  }

  /** Pending applicants by rank, locked, with their sealed numbers. */
  pendingRanked(cohortId: string): Promise<ApplicantSealed[]> {
    return this.manager.query(
      `SELECT ${COLUMNS}, a.id_number_enc AS "idNumberEnc", a.id_number_hash AS "idNumberHash", a.mobile_enc AS "mobileEnc"
       FROM applicants a WHERE a.tenant_id = $1 AND a.cohort_id = $2 AND a.result = 'pending'
       ORDER BY a.total_score DESC, a.created_at, a.id FOR UPDATE`,
      [this.tenant.requireTenantId(), cohortId],
    );
  }

  async decide(id: string, result: 'admitted' | 'rejected', reason: string | null, rank: number | null, userId: string | null): Promise<void> {
    await this.manager.query(
      `UPDATE applicants SET result = $3, result_reason = $4, admission_rank = $5, decided_by = $6, decided_at = now(), version = version + 1, updated_at = now()
       WHERE tenant_id = $1 AND id = $2`,
      [this.tenant.requireTenantId(), id, result, reason, rank, userId],
    );
  }
}
