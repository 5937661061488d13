import { randomBytes } from 'node:crypto';
import { TEST_PASSWORD } from '../../factories/identity.factory';
import type { Actor, MatrixWorld, RouteFixture } from './types';

const code = () => `M${randomBytes(4).toString('hex')}`;

/** A member the actor manages: same college (and enterprise, for enterprise admins). */
async function managedMember(w: MatrixWorld, actor: Actor) {
  if (actor.role.startsWith('enterprise-')) return w.f.member('enterprise-mentor', { tenantId: w.tenantA, enterpriseId: w.enterpriseE });
  return w.f.member('college-staff', { tenantId: w.tenantA });
}

function invitationBody(actor: Actor) {
  const phone = `13${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
  switch (actor.role) {
    case 'province-admin':
      return { phone, displayName: '省级观察员', role: 'province-viewer' };
    case 'enterprise-admin':
      return { phone, displayName: '企业导师', role: 'enterprise-mentor' };
    default:
      return { phone, displayName: '院校教师', role: 'college-staff' };
  }
}

/** Routes of the platform modules: identity, tenants, audit. */
export const PLATFORM_FIXTURES: Record<string, RouteFixture> = {
  'GET /api/v1/auth/me': { build: async () => ({ path: '/api/v1/auth/me' }) },
  'GET /api/v1/auth/memberships': { build: async () => ({ path: '/api/v1/auth/memberships' }) },
  'POST /api/v1/auth/logout': { build: async () => ({ path: '/api/v1/auth/logout', body: {} }) },
  'POST /api/v1/auth/switch': {
    build: async (_w, a) => ({ path: '/api/v1/auth/switch', body: { membershipId: a.membershipId } }),
  },
  'POST /api/v1/auth/change-password': {
    build: async () => ({ path: '/api/v1/auth/change-password', body: { currentPassword: TEST_PASSWORD, newPassword: 'Matrix-Pass-2026' } }),
  },

  'GET /api/v1/tenants': { build: async () => ({ path: '/api/v1/tenants' }) },
  'GET /api/v1/tenants/current': { build: async () => ({ path: '/api/v1/tenants/current' }) },
  'GET /api/v1/tenants/:id': { build: async (w) => ({ path: `/api/v1/tenants/${w.tenantA}` }) },
  'POST /api/v1/tenants': {
    build: async () => ({ path: '/api/v1/tenants', body: { code: code(), name: '矩阵测试技师学院', tier: 'other', city: '韶关' } }),
  },
  'PATCH /api/v1/tenants/:id': {
    build: async (w) => ({ path: `/api/v1/tenants/${await w.f.tenant()}`, body: { city: '清远', version: 1 } }),
  },
  'POST /api/v1/tenants/:id/suspend': {
    build: async (w) => ({ path: `/api/v1/tenants/${await w.f.tenant()}/suspend`, body: { reason: '矩阵测试' } }),
  },
  'POST /api/v1/tenants/:id/reactivate': {
    build: async (w) => ({ path: `/api/v1/tenants/${await w.f.tenant({ status: 'suspended' })}/reactivate` }),
  },

  'GET /api/v1/users': { build: async () => ({ path: '/api/v1/users' }) },
  'POST /api/v1/memberships/:id/revoke': {
    build: async (w, a) => ({ path: `/api/v1/memberships/${(await managedMember(w, a)).membershipId}/revoke` }),
    foreign: async (w) => ({ path: `/api/v1/memberships/${(await w.f.member('college-staff', { tenantId: w.tenantB })).membershipId}/revoke` }),
  },
  'POST /api/v1/memberships/:id/restore': {
    build: async (w, a) => {
      const m = await managedMember(w, a);
      await w.f.query(`UPDATE memberships SET status = 'revoked' WHERE id = $1`, [m.membershipId]);
      return { path: `/api/v1/memberships/${m.membershipId}/restore` };
    },
    foreign: async (w) => {
      const m = await w.f.member('college-staff', { tenantId: w.tenantB });
      await w.f.query(`UPDATE memberships SET status = 'revoked' WHERE id = $1`, [m.membershipId]);
      return { path: `/api/v1/memberships/${m.membershipId}/restore` };
    },
  },
  'POST /api/v1/invitations': { build: async (_w, a) => ({ path: '/api/v1/invitations', body: invitationBody(a) }) },

  'GET /api/v1/audit': { build: async () => ({ path: '/api/v1/audit', query: { limit: '10' } }) },
};

/** Routes that need no token. Anything else public is a mistake the matrix test reports. */
export const PUBLIC_ROUTES = [
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/invitations/accept',
  'POST /api/v1/auth/password-reset',
  'POST /api/v1/auth/password-reset/confirm',
];
