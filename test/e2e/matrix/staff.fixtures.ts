import { randomBytes } from 'node:crypto';
import { partnershipIn } from './enterprises.fixtures';
import type { IdentityFactory } from '../../factories/identity.factory';
import { inTenant, programmeRow } from './programmes.fixtures';
import type { Actor, MatrixWorld, RouteFixture } from './types';

const tag = () => randomBytes(3).toString('hex');

// ---- helpers shared by the staff, teams and mentorships e2e suites

/** A fresh programme of `tenantId` with `enterpriseId` as an active partner (R-PRG-3); returns the programme. */
export async function partnerProgramme(f: IdentityFactory, tenantId: string, enterpriseId: string): Promise<string> {
  const programmeId = await programmeRow(f, tenantId);
  await inTenant(f, tenantId, () =>
    f.query(
      `INSERT INTO partnerships (tenant_id, programme_id, enterprise_id, status, started_on) VALUES ($1, $2, $3, 'active', DATE '2026-03-01')`,
      [tenantId, programmeId, enterpriseId],
    ),
  );
  return programmeId;
}

/** Makes `enterpriseId` a partner of `tenantId` (idempotent enough: one more programme each call). */
export async function makePartner(f: IdentityFactory, tenantId: string, enterpriseId: string): Promise<void> {
  const found = await inTenant(f, tenantId, () =>
    f.query(`SELECT 1 FROM partnerships WHERE tenant_id = $1 AND enterprise_id = $2 AND status = 'active' LIMIT 1`, [tenantId, enterpriseId]),
  );
  if (!found.rows.length) await partnerProgramme(f, tenantId, enterpriseId);
}

export interface StaffRowValues {
  side?: 'college' | 'enterprise';
  enterpriseId?: string | null;
  name?: string;
  titleSeries?: string | null;
  titleLevelCode?: string | null;
  skillLevelCode?: string | null;
  confirmation?: 'pending-confirmation' | 'confirmed' | 'rejected';
  userId?: string | null;
}

/** A staff member written directly (no partnership check: the caller sets the world up). */
export async function staffRow(f: IdentityFactory, tenantId: string, v: StaffRowValues = {}): Promise<string> {
  const side = v.side ?? (v.enterpriseId ? 'enterprise' : 'college');
  return inTenant(f, tenantId, async () => {
    const r = await f.query(
      `INSERT INTO staff_members (tenant_id, side, enterprise_id, name, gender, title_series, title_level_code, skill_level_code, field, confirmation, user_id)
       VALUES ($1, $2, $3, $4, 'male', $5, $6, $7, '数控加工', $8, $9) RETURNING id`,
      [
        tenantId,
        side,
        side === 'enterprise' ? v.enterpriseId : null,
        v.name ?? `测试人员${tag()}`,
        v.titleLevelCode ? (v.titleSeries ?? (side === 'enterprise' ? 'engineering' : 'theory')) : null,
        v.titleLevelCode ?? null,
        v.skillLevelCode ?? null,
        v.confirmation ?? 'confirmed',
        v.userId ?? null,
      ],
    );
    return r.rows[0].id as string;
  });
}

/** A member the actor may manage: a college teacher for college users, an own mentor for enterprise admins. */
async function manageable(w: MatrixWorld, a: Actor, tenantId = w.tenantA): Promise<string> {
  if (a.role.startsWith('enterprise-')) {
    await makePartner(w.f, tenantId, w.enterpriseE);
    return staffRow(w.f, tenantId, { enterpriseId: w.enterpriseE });
  }
  return staffRow(w.f, tenantId);
}

/** A member every reader may see (enterprise users see only their own enterprise's mentors). */
const visible = (w: MatrixWorld, a: Actor, tenantId = w.tenantA) =>
  a.role.startsWith('enterprise-') ? staffRow(w.f, tenantId, { enterpriseId: w.enterpriseE }) : staffRow(w.f, tenantId);

/** Routes of the staff module (issue 4). */
export const STAFF_FIXTURES: Record<string, RouteFixture> = {
  'POST /api/v1/staff': {
    build: async (w, a) => {
      if (a.role === 'enterprise-admin') {
        await makePartner(w.f, w.tenantA, w.enterpriseE);
        return { path: '/api/v1/staff', body: { side: 'enterprise', name: '矩阵企业导师', gender: 'male', field: '数控加工', title: { series: 'engineering', levelCode: 'deputy-senior', name: '高级工程师' } } };
      }
      return { path: '/api/v1/staff', body: { side: 'college', name: '矩阵院校教师', gender: 'female', field: '数控加工', title: { series: 'theory', levelCode: 'deputy-senior' }, skillLevelCode: 'level-2' } };
    },
  },
  'GET /api/v1/staff': { build: async () => ({ path: '/api/v1/staff', query: { limit: '5' } }) },
  'GET /api/v1/staff/:id': {
    build: async (w, a) => ({ path: `/api/v1/staff/${await visible(w, a)}` }),
    foreign: async (w, a) => ({ path: `/api/v1/staff/${await visible(w, a, w.tenantB)}` }),
  },
  'PATCH /api/v1/staff/:id': {
    build: async (w, a) => ({ path: `/api/v1/staff/${await manageable(w, a)}`, body: { field: '智能制造', version: 1 } }),
    foreign: async (w, a) => ({ path: `/api/v1/staff/${await manageable(w, a, w.tenantB)}`, body: { field: '智能制造', version: 1 } }),
  },
  'POST /api/v1/staff/:id/leave': {
    build: async (w, a) => ({ path: `/api/v1/staff/${await manageable(w, a)}/leave`, body: { leftOn: '2026-07-31', reason: '矩阵测试离任' } }),
    foreign: async (w, a) => ({ path: `/api/v1/staff/${await manageable(w, a, w.tenantB)}/leave`, body: { leftOn: '2026-07-31', reason: '矩阵测试' } }),
  },
  'POST /api/v1/staff/:id/confirm': {
    build: async (w) => ({ path: `/api/v1/staff/${await staffRow(w.f, w.tenantA, { enterpriseId: w.enterpriseE, confirmation: 'pending-confirmation' })}/confirm` }),
    foreign: async (w) => ({ path: `/api/v1/staff/${await staffRow(w.f, w.tenantB, { enterpriseId: w.enterpriseE, confirmation: 'pending-confirmation' })}/confirm` }),
  },
  'POST /api/v1/staff/:id/reject': {
    build: async (w) => ({
      path: `/api/v1/staff/${await staffRow(w.f, w.tenantA, { enterpriseId: w.enterpriseE, confirmation: 'pending-confirmation' })}/reject`,
      body: { reason: '该员工已调岗' },
    }),
    foreign: async (w) => ({
      path: `/api/v1/staff/${await staffRow(w.f, w.tenantB, { enterpriseId: w.enterpriseE, confirmation: 'pending-confirmation' })}/reject`,
      body: { reason: '该员工已调岗' },
    }),
  },
};

// ---- teams (R-EVA-2)

/** A team of a fresh programme of `tenantId`, with members written directly: e enterprise mentors, x experts among n. */
export async function teamRow(
  f: IdentityFactory,
  tenantId: string,
  composition: { total?: number; enterprise?: number; experts?: number; enterpriseId?: string } = {},
): Promise<{ teamId: string; programmeId: string; memberIds: string[] }> {
  const programmeId = await programmeRow(f, tenantId);
  return { programmeId, ...(await teamOf(f, tenantId, programmeId, composition)) };
}

/** A team of an existing programme (same composition rules as teamRow). */
export async function teamOf(
  f: IdentityFactory,
  tenantId: string,
  programmeId: string,
  composition: { total?: number; enterprise?: number; experts?: number; enterpriseId?: string } = {},
): Promise<{ teamId: string; memberIds: string[] }> {
  const teamId = await inTenant(f, tenantId, async () =>
    (await f.query(`INSERT INTO teams (tenant_id, programme_id, name) VALUES ($1, $2, '矩阵测试团队') RETURNING id`, [tenantId, programmeId])).rows[0].id as string,
  );
  const memberIds: string[] = [];
  const { total = 0, enterprise = 0, experts = 0 } = composition;
  for (let i = 0; i < total; i++) {
    const isEnterprise = i < enterprise && !!composition.enterpriseId;
    const staffId = await staffRow(f, tenantId, {
      enterpriseId: isEnterprise ? composition.enterpriseId : null,
      skillLevelCode: i >= total - experts ? 'level-2' : 'level-3',
    });
    memberIds.push(
      await inTenant(f, tenantId, async () =>
        (await f.query(`INSERT INTO team_members (tenant_id, team_id, staff_member_id, role) VALUES ($1, $2, $3, 'teacher') RETURNING id`, [tenantId, teamId, staffId])).rows[0].id as string,
      ),
    );
  }
  return { teamId, memberIds };
}

export const TEAMS_FIXTURES: Record<string, RouteFixture> = {
  'POST /api/v1/teams': {
    build: async (w) => ({ path: '/api/v1/teams', body: { programmeId: await programmeRow(w.f, w.tenantA), name: '数控加工专业教学和考评团队' } }),
  },
  'GET /api/v1/teams': { build: async () => ({ path: '/api/v1/teams', query: { limit: '5' } }) },
  'GET /api/v1/teams/compliance': {
    build: async (w, a) => {
      const { programmeId } = await teamRow(w.f, w.tenantA, { total: 2 });
      // issue 9 item 4: an enterprise user asks only about a programme its enterprise partners with
      if (a.role.startsWith('enterprise-')) await partnershipIn(w.f, w.tenantA, a.enterpriseId ?? w.enterpriseE, 'active', programmeId);
      return { path: '/api/v1/teams/compliance', query: { programmeId } };
    },
  },
  'GET /api/v1/teams/:id': {
    build: async (w, a) => {
      const team = await teamRow(w.f, w.tenantA, { total: 1 });
      // issue 9: enterprise users read the teams of programmes their enterprise partners with
      if (a.role.startsWith('enterprise-')) await partnershipIn(w.f, w.tenantA, a.enterpriseId ?? w.enterpriseE, 'active', team.programmeId);
      return { path: `/api/v1/teams/${team.teamId}` };
    },
    foreign: async (w) => ({ path: `/api/v1/teams/${(await teamRow(w.f, w.tenantB)).teamId}` }),
  },
  'POST /api/v1/teams/:id/members': {
    build: async (w) => ({
      path: `/api/v1/teams/${(await teamRow(w.f, w.tenantA)).teamId}/members`,
      body: { staffMemberId: await staffRow(w.f, w.tenantA), role: 'teacher' },
    }),
    foreign: async (w) => ({
      path: `/api/v1/teams/${(await teamRow(w.f, w.tenantB)).teamId}/members`,
      body: { staffMemberId: await staffRow(w.f, w.tenantB), role: 'teacher' },
    }),
  },
  'DELETE /api/v1/teams/:id/members/:memberId': {
    build: async (w) => {
      const t = await teamRow(w.f, w.tenantA, { total: 1 });
      return { path: `/api/v1/teams/${t.teamId}/members/${t.memberIds[0]}` };
    },
    foreign: async (w) => {
      const t = await teamRow(w.f, w.tenantB, { total: 1 });
      return { path: `/api/v1/teams/${t.teamId}/members/${t.memberIds[0]}` };
    },
  },
};
