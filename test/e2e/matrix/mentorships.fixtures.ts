import { randomBytes } from 'node:crypto';
import type { IdentityFactory } from '../../factories/identity.factory';
import { agreementIn, attachmentIn, partnershipIn } from './enterprises.fixtures';
import { inTenant, planRow, programmeRow } from './programmes.fixtures';
import { staffRow } from './staff.fixtures';
import type { Actor, MatrixWorld, RouteFixture } from './types';

const tag = () => randomBytes(3).toString('hex');

// ---- helpers shared by the mentorships e2e suite (students are issue 5's table, written directly)

/** A cohort of a programme (senior-high track: 4 years, 2 in the senior-worker stage) on the programme's plan (a current one is added when it has none). */
export async function cohortRow(f: IdentityFactory, tenantId: string, programmeId: string): Promise<string> {
  const plan = await inTenant(f, tenantId, () =>
    f.query(`SELECT id FROM training_plans WHERE tenant_id = $1 AND programme_id = $2 ORDER BY version_no DESC LIMIT 1`, [tenantId, programmeId]),
  );
  const planId: string = plan.rows[0]?.id ?? (await planRow(f, tenantId, programmeId, 1, 'current'));
  return inTenant(f, tenantId, async () => {
    const r = await f.query(
      `INSERT INTO cohorts (tenant_id, programme_id, plan_version_id, name, intake_year, track_code, start_date, duration_months, senior_worker_stage_months)
       VALUES ($1, $2, $3, $4, 2026, 'senior-high', DATE '2026-09-01', 48, 24) RETURNING id`,
      [tenantId, programmeId, planId, `2026级数控技师${tag()}班`],
    );
    return r.rows[0].id as string;
  });
}

/**
 * An enrolled student of a cohort. The resident ID is stored encrypted with a blind index
 * (issue 5); the mentorships only read id, name and programme, so random bytes stand in.
 */
export async function studentRow(f: IdentityFactory, tenantId: string, cohortId: string, name = `学生${tag()}`): Promise<string> {
  return inTenant(f, tenantId, async () => {
    const r = await f.query(
      `INSERT INTO students (tenant_id, cohort_id, programme_id, name, gender, date_of_birth, id_number_enc, id_number_hash, id_number_masked,
                             entry_level, status, admitted_on, enrolled_on)
       SELECT $1, c.id, c.programme_id, $3, 'male', DATE '2008-05-12', $4, $5, '4401**********123X', 'senior-high', 'enrolled', DATE '2026-08-20', DATE '2026-09-01'
       FROM cohorts c WHERE c.tenant_id = $1 AND c.id = $2 RETURNING id`,
      [tenantId, cohortId, name, randomBytes(40), randomBytes(32)],
    );
    return r.rows[0].id as string;
  });
}

/** A programme of `tenantId` with `enterpriseId` as an active partner, and the partnership's agreement (signed and in force unless told). */
export async function partnerWithAgreement(
  f: IdentityFactory,
  tenantId: string,
  enterpriseId: string,
  agreement: { status?: 'draft' | 'signed'; termStart?: string; termEnd?: string } | null = {},
): Promise<{ programmeId: string; partnershipId: string }> {
  const programmeId = await programmeRow(f, tenantId);
  const partnershipId = await partnershipIn(f, tenantId, enterpriseId, 'active', programmeId);
  if (agreement) {
    const status = agreement.status ?? 'signed';
    const uploader = (await f.member('college-staff', { tenantId })).userId;
    await agreementIn(f, tenantId, partnershipId, {
      status,
      termStart: agreement.termStart,
      termEnd: agreement.termEnd,
      attachmentId: status === 'draft' ? undefined : await attachmentIn(f, tenantId, uploader),
    });
  }
  return { programmeId, partnershipId };
}

/** A student of a fresh cohort of `programmeId` (a fresh plain programme when none is given). */
export async function studentOf(f: IdentityFactory, tenantId: string, programmeId?: string, name?: string): Promise<string> {
  return studentRow(f, tenantId, await cohortRow(f, tenantId, programmeId ?? (await programmeRow(f, tenantId))), name);
}

/** A mentorship written directly (no partner check: the caller sets the world up). */
export async function mentorshipRow(
  f: IdentityFactory,
  tenantId: string,
  v: { studentId: string; side: 'college' | 'enterprise'; staffMemberId: string; startedOn?: string },
): Promise<string> {
  return inTenant(f, tenantId, async () => {
    const r = await f.query(
      `INSERT INTO mentorships (tenant_id, student_id, side, staff_member_id, started_on) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [tenantId, v.studentId, v.side, v.staffMemberId, v.startedOn ?? '2026-09-01'],
    );
    return r.rows[0].id as string;
  });
}

/**
 * A mentorship the actor may see: their own when they are a mentor (their account linked to
 * the staff record), one of their enterprise's mentors for an enterprise admin, any for
 * college users. `linked: false` leaves the account unlinked (another college's record).
 */
async function visibleMentorship(w: MatrixWorld, a: Actor, tenantId = w.tenantA, linked = tenantId === w.tenantA): Promise<{ id: string; studentId: string }> {
  const enterprise = a.role.startsWith('enterprise-');
  const staffMemberId = await staffRow(w.f, tenantId, {
    enterpriseId: enterprise ? w.enterpriseE : null,
    userId: linked && a.role.endsWith('-mentor') ? a.userId : null,
  });
  const studentId = await studentOf(w.f, tenantId);
  const id = await mentorshipRow(w.f, tenantId, { studentId, side: enterprise ? 'enterprise' : 'college', staffMemberId });
  return { id, studentId };
}

/** A college-side mentorship and another teacher to take it over. */
async function reassignable(w: MatrixWorld, tenantId: string) {
  const studentId = await studentOf(w.f, tenantId);
  const id = await mentorshipRow(w.f, tenantId, { studentId, side: 'college', staffMemberId: await staffRow(w.f, tenantId) });
  return { id, body: { staffMemberId: await staffRow(w.f, tenantId), on: '2026-10-08', reason: '原导师调岗' } };
}

/** Routes of the mentorships module (issue 4, R-TRN-3). */
export const MENTORSHIPS_FIXTURES: Record<string, RouteFixture> = {
  'POST /api/v1/mentorships': {
    build: async (w) => ({
      path: '/api/v1/mentorships',
      body: { studentId: await studentOf(w.f, w.tenantA), side: 'college', staffMemberId: await staffRow(w.f, w.tenantA) },
    }),
  },
  'POST /api/v1/mentorships/bulk': {
    build: async (w) => {
      const cohortId = await cohortRow(w.f, w.tenantA, await programmeRow(w.f, w.tenantA));
      const mentor = await staffRow(w.f, w.tenantA);
      const rows = [];
      for (let i = 0; i < 2; i++) rows.push({ studentId: await studentRow(w.f, w.tenantA, cohortId), side: 'college', staffMemberId: mentor });
      return { path: '/api/v1/mentorships/bulk', body: { rows } };
    },
  },
  'POST /api/v1/mentorships/guidance': {
    build: async (w, a) => ({
      path: '/api/v1/mentorships/guidance',
      body: { studentId: (await visibleMentorship(w, a)).studentId, occurredOn: '2026-10-15', kind: 'topic-selection', notes: '讨论课题方向：薄壁件车削变形控制' },
    }),
  },
  'GET /api/v1/mentorships/guidance': {
    build: async (w, a) => ({ path: '/api/v1/mentorships/guidance', query: { studentId: (await visibleMentorship(w, a)).studentId } }),
  },
  'GET /api/v1/mentorships': { build: async () => ({ path: '/api/v1/mentorships', query: { limit: '5' } }) },
  'GET /api/v1/mentorships/:id': {
    build: async (w, a) => ({ path: `/api/v1/mentorships/${(await visibleMentorship(w, a)).id}` }),
    foreign: async (w, a) => ({ path: `/api/v1/mentorships/${(await visibleMentorship(w, a, w.tenantB)).id}` }),
  },
  'POST /api/v1/mentorships/:id/reassign': {
    build: async (w) => {
      const r = await reassignable(w, w.tenantA);
      return { path: `/api/v1/mentorships/${r.id}/reassign`, body: r.body };
    },
    foreign: async (w) => {
      const r = await reassignable(w, w.tenantB);
      return { path: `/api/v1/mentorships/${r.id}/reassign`, body: r.body };
    },
  },
};
