import type { Scope } from '../tenancy/request-context';

export const ROLES = [
  'province-admin',
  'province-expert',
  'province-viewer',
  'college-admin',
  'college-staff',
  'college-mentor',
  'enterprise-admin',
  'enterprise-mentor',
] as const;

export type Role = (typeof ROLES)[number];

export function scopeOfRole(role: Role): Scope {
  return role.startsWith('province-') ? 'province' : role.startsWith('college-') ? 'college' : 'enterprise';
}

export const PROVINCE_ROLES = ROLES.filter((r) => scopeOfRole(r) === 'province');
export const COLLEGE_ROLES = ROLES.filter((r) => scopeOfRole(r) === 'college');
export const ENTERPRISE_ROLES = ROLES.filter((r) => scopeOfRole(r) === 'enterprise');
