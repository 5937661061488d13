import { ROLES, Role } from './roles';

const ALL: readonly Role[] = ROLES;

/**
 * The one permission table: action → roles that may perform it. Every route names one
 * action (or is @Public); the access guard and the role × route matrix test read this.
 * Scope limits (own college, own enterprise) are enforced by RLS and the services.
 */
export const PERMISSIONS = {
  // Session: any signed-in membership.
  'session.self': ALL,

  // Colleges (tenants)
  'tenants.read': ['province-admin', 'province-expert', 'province-viewer'],
  'tenants.manage': ['province-admin'],
  'tenants.read-own': ['college-admin', 'college-staff', 'college-mentor'],

  // People and access
  'users.read': ['province-admin', 'college-admin', 'enterprise-admin'],
  'users.invite': ['province-admin', 'college-admin', 'enterprise-admin'],
  'users.manage': ['province-admin', 'college-admin', 'enterprise-admin'],

  // Audit log
  'audit.read': ['province-admin', 'college-admin'],

  // Reference data (province-owned, readable by everyone)
  'reference.read': ALL,
  'reference.manage': ['province-admin'],

  // Operations
  'queues.admin': ['province-admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isAllowed(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
