import type { IdentityFactory } from '../../factories/identity.factory';
import { inTenant, programmeRow } from './programmes.fixtures';
import type { Actor, RouteFixture } from './types';

/**
 * A report row written directly: a college's (tenantId) or a province one (null), finished
 * when `done` (the file itself is not needed to sign a link).
 */
export async function reportRow(f: IdentityFactory, owner: string | null, v: { done?: boolean; collegeId?: string; requestedBy?: string | null } = {}): Promise<string> {
  const insert = async () => {
    const r = await f.query(
      `INSERT INTO reports (tenant_id, kind, level, college_id, subject_id, format, title, status, progress, storage_key, size_bytes, finished_at, requested_by)
       VALUES ($1, 'kpi', $2, $3, $3, 'xlsx', '测试报表', $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        owner,
        owner || v.collegeId ? 'college' : 'province',
        owner ?? v.collegeId ?? null,
        v.done ? 'done' : 'queued',
        v.done ? 100 : 0,
        v.done ? `reports/${owner ?? 'province'}/matrix-${Date.now()}` : null,
        v.done ? 10 : null,
        v.done ? new Date() : null,
        v.requestedBy ?? null,
      ],
    );
    return r.rows[0].id as string;
  };
  if (owner) return inTenant(f, owner, insert);
  await f.query('BEGIN');
  try {
    await f.query("SELECT set_config('app.scope', 'province', true)");
    const id = await insert();
    await f.query('COMMIT');
    return id;
  } catch (e) {
    await f.query('ROLLBACK');
    throw e;
  }
}

/** The reports an actor owns: its college's, or the province's. */
const ownerOf = (a: Actor): string | null => (a.role.startsWith('province-') ? null : (a.tenantId ?? null));

export const REPORTS_FIXTURES: Record<string, RouteFixture> = {
  'POST /api/v1/reports': {
    build: async (w, a) => ({ path: '/api/v1/reports', body: { kind: 'kpi', scope: a.role.startsWith('province-') ? { level: 'college', id: w.tenantA } : { level: 'college' }, format: 'xlsx' } }),
    foreign: async (w) => ({ path: '/api/v1/reports', body: { kind: 'kpi', scope: { level: 'programme', id: await programmeRow(w.f, w.tenantB) }, format: 'pdf' } }),
  },
  'GET /api/v1/reports': { build: async () => ({ path: '/api/v1/reports', query: { limit: '5' } }) },
  'GET /api/v1/reports/:id': {
    build: async (w, a) => ({ path: `/api/v1/reports/${await reportRow(w.f, ownerOf(a) ?? null, { collegeId: w.tenantA })}` }),
    foreign: async (w) => ({ path: `/api/v1/reports/${await reportRow(w.f, w.tenantB)}` }),
  },
  'POST /api/v1/reports/:id/link': {
    build: async (w, a) => ({ path: `/api/v1/reports/${await reportRow(w.f, ownerOf(a), { done: true, collegeId: w.tenantA })}/link` }),
    foreign: async (w) => ({ path: `/api/v1/reports/${await reportRow(w.f, w.tenantB, { done: true })}/link` }),
  },
};
