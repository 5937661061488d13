import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TenantScopedRepository } from '../../src/database/tenant-scoped.repository';
import type { Tx } from '../../src/database/transaction-host';
import { AppException } from '../../src/errors/app.exception';
import { decodeCursor, PaginationErrors } from '../../src/http/pagination';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { isAllowed } from '../../src/auth/permissions';
import type { Role } from '../../src/auth/roles';
import { maskDateOfBirth } from '../../src/privacy/mask';
import { Gender, LifecycleStatus, RecordedStatus, Student, StreamingDecision } from './student.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A student as read: masked numbers only; the stage derived in students_v. */
export interface StudentRow {
  id: string;
  tenantId: string;
  cohortId: string;
  cohortName: string;
  programmeId: string;
  applicantId: string | null;
  name: string;
  gender: Gender;
  dateOfBirth: string;
  idNumberMasked: string;
  mobileMasked: string | null;
  entryLevel: string;
  recordedStatus: RecordedStatus;
  lifecycleStatus: LifecycleStatus;
  admittedOn: string;
  enrolledOn: string | null;
  leftOn: string | null;
  leftReason: string | null;
  seniorWorkerStageEnd: string | null;
  expectedGraduation: string;
  streamingDecision: StreamingDecision | null;
  streamingReason: string | null;
  streamingCheckpointOn: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const SELECT_ROW = `
  SELECT v.id, v.tenant_id AS "tenantId", v.cohort_id AS "cohortId", c.name AS "cohortName", v.programme_id AS "programmeId",
         v.applicant_id AS "applicantId", v.name, v.gender, v.date_of_birth::text AS "dateOfBirth",
         v.id_number_masked AS "idNumberMasked", v.mobile_masked AS "mobileMasked", v.entry_level AS "entryLevel",
         v.status AS "recordedStatus", v.lifecycle_status AS "lifecycleStatus", v.admitted_on::text AS "admittedOn",
         v.enrolled_on::text AS "enrolledOn", v.left_on::text AS "leftOn", v.left_reason AS "leftReason",
         v.senior_worker_stage_end::text AS "seniorWorkerStageEnd", v.expected_graduation::text AS "expectedGraduation",
         d.decision AS "streamingDecision", d.reason AS "streamingReason", d.checkpoint_on::text AS "streamingCheckpointOn",
         v.version, v.created_at AS "createdAt", v.updated_at AS "updatedAt"
  FROM students_v v
  JOIN cohorts c ON c.tenant_id = v.tenant_id AND c.id = v.cohort_id
  LEFT JOIN streaming_decisions d ON d.tenant_id = v.tenant_id AND d.student_id = v.id`;

/** A student ready to insert: encrypted and masked by the service. */
export interface NewStudentRow {
  cohortId: string;
  programmeId: string;
  applicantId: string | null;
  name: string;
  gender: Gender;
  dateOfBirth: string;
  idNumberEnc: Buffer;
  idNumberHash: Buffer;
  idNumberMasked: string;
  mobileEnc: Buffer | null;
  mobileMasked: string | null;
  entryLevel: string;
  status: 'admitted' | 'enrolled';
  admittedOn: string;
  enrolledOn: string | null;
}

export interface StudentFilter {
  cohortId?: string;
  programmeId?: string;
  status?: LifecycleStatus;
  /** enterprise scope: only programmes this enterprise partners with */
  partnerEnterpriseId?: string;
  q?: string;
  limit: number;
  cursor?: string;
}

/** All SQL on `students`, `student_status_changes` and `streaming_decisions` (tenant tables). */
@Injectable()
export class StudentsRepository extends TenantScopedRepository<Student> {
  constructor(txHost: TransactionHost<any>, tenant: TenantContext) {
    super(txHost as Tx, tenant, Student);
  }

  /**
   * Issue 9 item 3, DOMAIN §1 ("inside the tenants it partners with"): an enterprise mentor
   * reads the students they actively mentor; an enterprise admin the students placed with
   * their enterprise or actively mentored by one of its mentors; nobody else of the
   * enterprise side. College and province callers are not narrowed here. Appended to a
   * WHERE over `students_v v` whose $1 is the tenant.
   */
  private scopeSql(params: unknown[]): string {
    const actor = this.tenant.actor;
    if (!actor || actor.scope !== 'enterprise') return '';
    if (actor.role === 'enterprise-mentor') {
      params.push(actor.userId);
      // the caller's few mentees first (one InitPlan), then their rows by key: probing every student
      // of the college in name order hit the statement timeout on a large college
      return ` AND v.id = ANY(ARRAY(SELECT sm.student_id FROM mentorships sm JOIN staff_members st ON st.tenant_id = sm.tenant_id AND st.id = sm.staff_member_id
                           WHERE sm.tenant_id = $1 AND sm.ended_on IS NULL AND st.user_id = $${params.length}))`;
    }
    params.push(actor.enterpriseId ?? '00000000-0000-0000-0000-000000000000');
    const e = `$${params.length}`;
    return ` AND v.id = ANY(ARRAY(SELECT sp.student_id FROM placements sp WHERE sp.tenant_id = $1 AND sp.enterprise_id = ${e}
              UNION SELECT sm.student_id FROM mentorships sm JOIN staff_members st ON st.tenant_id = sm.tenant_id AND st.id = sm.staff_member_id
                         WHERE sm.tenant_id = $1 AND sm.ended_on IS NULL AND st.enterprise_id = ${e}))`;
  }

  /**
   * Issue 9 item 5: the one masking rule. The stored ID is masked (src/privacy/mask.ts);
   * a caller without students.reveal-pii reads the birth date as year and month only, so
   * nothing it can read (responses, exports) rebuilds the number.
   */
  private shape(rows: StudentRow[]): StudentRow[] {
    const actor = this.tenant.actor;
    // system work (jobs, seed) acts without a user and never answers a person
    if (!actor || isAllowed(actor.role as Role, 'students.reveal-pii')) return rows;
    for (const r of rows) r.dateOfBirth = maskDateOfBirth(r.dateOfBirth)!;
    return rows;
  }

  private async select(where: string, params: unknown[], order = ''): Promise<StudentRow[]> {
    const scoped = this.scopeSql(params);
    return this.shape(await this.manager.query(`${SELECT_ROW} WHERE ${where}${scoped}${order}`, params));
  }

  async findRow(id: string): Promise<StudentRow | undefined> {
    return (await this.select('v.tenant_id = $1 AND v.id = $2', [this.tenant.requireTenantId(), id]))[0];
  }

  findRows(ids: string[]): Promise<StudentRow[]> {
    return this.select('v.tenant_id = $1 AND v.id = ANY($2::uuid[])', [this.tenant.requireTenantId(), ids], ' ORDER BY v.name, v.id');
  }

  /** The whole roster of a cohort (export), by name. */
  roster(cohortId: string): Promise<StudentRow[]> {
    return this.select('v.tenant_id = $1 AND v.cohort_id = $2', [this.tenant.requireTenantId(), cohortId], ' ORDER BY v.name, v.id');
  }

  findForUpdate(id: string): Promise<Student | null> {
    return this.repo
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.tenantId = :tenantId AND s.id = :id', { tenantId: this.tenant.requireTenantId(), id })
      .getOne();
  }

  save(student: Student): Promise<Student> {
    if (student.tenantId !== this.tenant.requireTenantId()) throw new Error('student of another tenant');
    return this.repo.save(student);
  }

  /** The encrypted numbers of one student (for the audited reveal only). */
  async sealed(id: string): Promise<{ idNumberEnc: Buffer; mobileEnc: Buffer | null } | undefined> {
    const rows = await this.manager.query(`SELECT id_number_enc AS "idNumberEnc", mobile_enc AS "mobileEnc" FROM students WHERE tenant_id = $1 AND id = $2`, [
      this.tenant.requireTenantId(),
      id,
    ]);
    return rows[0];
  }

  /** Students of the college holding these blind indexes: hash (hex) → where. */
  async byIdHashes(hashes: Buffer[]): Promise<Map<string, { id: string; cohortId: string; cohortName: string; name: string }>> {
    if (!hashes.length) return new Map();
    const rows: { hash: Buffer; id: string; cohortId: string; cohortName: string; name: string }[] = await this.manager.query(
      `SELECT s.id_number_hash AS hash, s.id, s.cohort_id AS "cohortId", c.name AS "cohortName", s.name
       FROM students s JOIN cohorts c ON c.tenant_id = s.tenant_id AND c.id = s.cohort_id
       WHERE s.tenant_id = $1 AND s.id_number_hash = ANY($2::bytea[])`,
      [this.tenant.requireTenantId(), hashes],
    );
    return new Map(rows.map((r) => [r.hash.toString('hex'), r]));
  }

  /** Inserts many students in one statement per chunk (unnest), with their first dated status rows. */
  async insertMany(rows: NewStudentRow[], userId: string | null, reason: string): Promise<string[]> {
    const tenantId = this.tenant.requireTenantId();
    const ids: string[] = [];
    for (let i = 0; i < rows.length; i += 2000) {
      const chunk = rows.slice(i, i + 2000);
      const col = <K extends keyof NewStudentRow>(k: K) => chunk.map((r) => r[k]);
      const inserted: { id: string }[] = await this.manager.query(
        `INSERT INTO students (tenant_id, cohort_id, programme_id, applicant_id, name, gender, date_of_birth, id_number_enc, id_number_hash,
                               id_number_masked, mobile_enc, mobile_masked, entry_level, status, admitted_on, enrolled_on, created_by)
         SELECT $1, * , $17 FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::varchar[], $6::varchar[], $7::date[], $8::bytea[], $9::bytea[],
                                  $10::varchar[], $11::bytea[], $12::varchar[], $13::varchar[], $14::varchar[], $15::date[], $16::date[])
         RETURNING id, status, admitted_on, enrolled_on`,
        [
          tenantId,
          col('cohortId'),
          col('programmeId'),
          col('applicantId'),
          col('name'),
          col('gender'),
          col('dateOfBirth'),
          col('idNumberEnc'),
          col('idNumberHash'),
          col('idNumberMasked'),
          col('mobileEnc'),
          col('mobileMasked'),
          col('entryLevel'),
          col('status'),
          col('admittedOn'),
          col('enrolledOn'),
          userId,
        ],
      );
      ids.push(...inserted.map((r) => r.id));
      await this.manager.query(
        `INSERT INTO student_status_changes (tenant_id, student_id, from_status, to_status, effective_on, reason, recorded_by)
         SELECT $1, s.id, NULL, s.status, COALESCE(s.enrolled_on, s.admitted_on), $3, $4 FROM students s WHERE s.tenant_id = $1 AND s.id = ANY($2::uuid[])`,
        [tenantId, inserted.map((r) => r.id), reason, userId],
      );
    }
    return ids;
  }

  async recordChange(studentId: string, from: RecordedStatus | null, to: RecordedStatus, on: string, reason: string | null, userId: string | null): Promise<void> {
    await this.manager.query(
      `INSERT INTO student_status_changes (tenant_id, student_id, from_status, to_status, effective_on, reason, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [this.tenant.requireTenantId(), studentId, from, to, on, reason, userId],
    );
  }

  history(studentId: string): Promise<{ fromStatus: string | null; toStatus: string; effectiveOn: string; reason: string | null }[]> {
    return this.manager.query(
      `SELECT from_status AS "fromStatus", to_status AS "toStatus", effective_on::text AS "effectiveOn", reason
       FROM student_status_changes WHERE tenant_id = $1 AND student_id = $2 ORDER BY effective_on, created_at, id`,
      [this.tenant.requireTenantId(), studentId],
    );
  }

  /** Enterprise scope: the student's programme is one the enterprise partners with. */
  /** Whether the signed-in enterprise user may read the student (the scope of findRow, as a yes/no). */
  async enterpriseMayRead(studentId: string, _enterpriseId: string): Promise<boolean> {
    return (await this.findRow(studentId)) !== undefined;
  }

  // ---- streaming (R-EVA-1)

  /**
   * Each student's current submitted mid-term result in the cohort (assessments' tables, read
   * only): what the streaming proposal is based on. Drafts and superseded versions never count.
   */
  async midTermResults(cohortId: string): Promise<{ studentId: string; score: string | null; passed: boolean; passMark: string | null; assessedOn: string }[]> {
    return this.manager.query(
      `SELECT DISTINCT ON (r.student_id) r.student_id AS "studentId", r.score, r.passed, sh.pass_mark AS "passMark", to_char(r.assessed_on, 'YYYY-MM-DD') AS "assessedOn"
       FROM assessment_results r JOIN assessment_sheets sh ON sh.tenant_id = r.tenant_id AND sh.id = r.sheet_id
       WHERE r.tenant_id = $1 AND r.cohort_id = $2 AND r.kind = 'mid-term' AND r.is_current AND r.status = 'submitted'
       ORDER BY r.student_id, r.assessed_on DESC, r.version_no DESC`,
      [this.tenant.requireTenantId(), cohortId],
    );
  }

  async decisionsOf(studentIds: string[]): Promise<Set<string>> {
    if (!studentIds.length) return new Set();
    const rows: { id: string }[] = await this.manager.query(
      `SELECT student_id AS id FROM streaming_decisions WHERE tenant_id = $1 AND student_id = ANY($2::uuid[])`,
      [this.tenant.requireTenantId(), studentIds],
    );
    return new Set(rows.map((r) => r.id));
  }

  async insertDecision(cohortId: string, studentId: string, checkpointOn: string, decision: StreamingDecision, reason: string, userId: string | null): Promise<void> {
    await this.manager.query(
      `INSERT INTO streaming_decisions (tenant_id, cohort_id, student_id, checkpoint_on, decision, reason, decided_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [this.tenant.requireTenantId(), cohortId, studentId, checkpointOn, decision, reason, userId],
    );
  }

  /** Sorted by name (keyset on name, id). */
  list(filter: StudentFilter): Promise<StudentRow[]> {
    const where: string[] = ['v.tenant_id = $1'];
    const params: unknown[] = [this.tenant.requireTenantId()];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.cohortId) add('v.cohort_id = ?', filter.cohortId);
    if (filter.programmeId) add('v.programme_id = ?', filter.programmeId);
    if (filter.status) add('v.lifecycle_status = ?', filter.status);
    if (filter.partnerEnterpriseId) {
      add(
        `EXISTS (SELECT 1 FROM partnerships pa WHERE pa.tenant_id = v.tenant_id AND pa.programme_id = v.programme_id AND pa.enterprise_id = ? AND pa.status = 'active')`,
        filter.partnerEnterpriseId,
      );
    }
    if (filter.q) add(`v.name ILIKE ? ESCAPE '\\'`, `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const after = decodeCursor(filter.cursor, 2);
    if (after && (typeof after[0] !== 'string' || typeof after[1] !== 'string' || !UUID.test(after[1]))) {
      throw new AppException(PaginationErrors.BAD_CURSOR);
    }
    if (after) {
      params.push(after[0], after[1]);
      where.push(`(v.name, v.id) > ($${params.length - 1}, $${params.length}::uuid)`);
    }
    const scoped = this.scopeSql(params);
    params.push(filter.limit + 1);
    return this.manager
      .query(`${SELECT_ROW} WHERE ${where.join(' AND ')}${scoped} ORDER BY v.name, v.id LIMIT $${params.length}`, params)
      .then((rows: StudentRow[]) => this.shape(rows));
  }
}
