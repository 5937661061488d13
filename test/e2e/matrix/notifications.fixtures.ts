import { randomUUID } from 'node:crypto';
import type { IdentityFactory } from '../../factories/identity.factory';
import type { Actor, MatrixWorld, RouteFixture } from './types';

/** A notification in `userId`'s inbox, written as the college it belongs to (RLS: writers create their own college's rows). */
/** `createdAt` orders rows on purpose: the column keeps milliseconds, and rows seeded back to back can share one. */
export async function seedNotification(f: IdentityFactory, userId: string, tenantId: string | null, title = '测试通知', createdAt?: Date): Promise<string> {
  const id = randomUUID();
  await f.query('BEGIN');
  try {
    await f.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId ?? '']);
    await f.query(
      `INSERT INTO notifications (id, tenant_id, recipient_user_id, kind, title, body, dedupe_key, created_at)
       VALUES ($1, $2, $3, 'pilot-event', $4, '测试通知正文', $5, COALESCE($6::timestamptz, date_trunc('milliseconds', clock_timestamp())))`,
      [id, tenantId, userId, title, `fixture:${id}`, createdAt?.toISOString() ?? null],
    );
    await f.query('COMMIT');
  } catch (e) {
    await f.query('ROLLBACK');
    throw e;
  }
  return id;
}

const own = (w: MatrixWorld, a: Actor) => seedNotification(w.f, a.userId, a.tenantId ?? null);

/** Routes of the inbox (issue 13): every signed-in membership has one, and sees only its own. */
export const NOTIFICATIONS_FIXTURES: Record<string, RouteFixture> = {
  'GET /api/v1/notifications': { build: async () => ({ path: '/api/v1/notifications', query: { unread: 'true' } }) },
  'GET /api/v1/notifications/unread-count': { build: async () => ({ path: '/api/v1/notifications/unread-count' }) },
  'POST /api/v1/notifications/read-all': { build: async () => ({ path: '/api/v1/notifications/read-all', body: {} }) },
  'GET /api/v1/notifications/preferences': { build: async () => ({ path: '/api/v1/notifications/preferences' }) },
  'PUT /api/v1/notifications/preferences': {
    build: async () => ({ path: '/api/v1/notifications/preferences', body: { kind: 'reminder.evaluation', inApp: true, email: 'digest', sms: false } }),
  },
  'POST /api/v1/notifications/:id/read': {
    build: async (w, a) => ({ path: `/api/v1/notifications/${await own(w, a)}/read` }),
    // another user's notification in another college: 404, as for any record one cannot see
    foreign: async (w) => {
      const other = await w.f.member('college-staff', { tenantId: w.tenantB });
      return { path: `/api/v1/notifications/${await seedNotification(w.f, other.userId, w.tenantB)}/read` };
    },
  },
};
