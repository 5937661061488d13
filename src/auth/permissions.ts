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
  /** one's own inbox and notification preferences (issue 13) */
  'notifications.own': ALL,

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

  // Programmes and training plans (issue 3)
  'programmes.read': ['province-admin', 'province-expert', 'province-viewer', 'college-admin', 'college-staff', 'college-mentor'],
  'programmes.manage': ['college-admin', 'college-staff'],
  /** approve, pass mid-term, complete, suspend or revoke a pilot (DOMAIN §5, R-GOV-3) */
  'programmes.set-pilot-status': ['province-admin'],
  'plans.read': ['province-admin', 'province-expert', 'province-viewer', 'college-admin', 'college-staff', 'college-mentor'],
  'plans.manage': ['college-admin', 'college-staff'],
  /** a major change needs a party-committee decision and a filing (R-GOV-2) */
  'plans.file-major-change': ['college-admin'],
  'filings.read': ['province-admin', 'province-expert', 'province-viewer'],

  // Enterprises, partnerships and agreements (issue 3)
  'enterprises.read': ALL,
  'enterprises.register': ['province-admin', 'college-admin', 'college-staff'],
  'enterprises.edit-own': ['province-admin', 'enterprise-admin'],
  'enterprises.override-uscc': ['province-admin'],
  'enterprises.propose-change': ['college-admin', 'college-staff'],
  'enterprises.decide-change': ['enterprise-admin'],
  'offerings.read': ['college-admin', 'college-staff', 'college-mentor', 'enterprise-admin', 'enterprise-mentor'],
  'offerings.manage': ['enterprise-admin'],
  'partnerships.read': ['province-admin', 'province-expert', 'province-viewer', 'college-admin', 'college-staff', 'college-mentor', 'enterprise-admin', 'enterprise-mentor'],
  'partnerships.manage': ['college-admin', 'college-staff'],
  'attachments.upload': ['province-admin', 'college-admin', 'college-staff', 'college-mentor', 'enterprise-admin', 'enterprise-mentor'],
  'attachments.download': ALL,

  // Staff, teams and 1+1 mentors (issue 4)
  'staff.read': ['province-admin', 'province-expert', 'province-viewer', 'college-admin', 'college-staff', 'college-mentor', 'enterprise-admin', 'enterprise-mentor'],
  'staff.manage': ['college-admin', 'college-staff', 'enterprise-admin'],
  /** an enterprise confirms a mentor a college added on its behalf */
  'staff.confirm': ['enterprise-admin'],
  'teams.read': ['province-admin', 'province-expert', 'province-viewer', 'college-admin', 'college-staff', 'college-mentor', 'enterprise-admin'],
  'teams.manage': ['college-admin', 'college-staff'],
  'mentorships.read': ['college-admin', 'college-staff', 'college-mentor', 'enterprise-admin', 'enterprise-mentor'],
  'mentorships.manage': ['college-admin', 'college-staff'],
  'guidance.record': ['college-mentor', 'enterprise-mentor'],

  // Cohorts, students, practice, work orders, projects (issue 5)
  'cohorts.read': ['province-admin', 'province-expert', 'province-viewer', 'college-admin', 'college-staff', 'college-mentor', 'enterprise-admin', 'enterprise-mentor'],
  'cohorts.manage': ['college-admin', 'college-staff'],
  'students.read': ['college-admin', 'college-staff', 'college-mentor', 'enterprise-admin', 'enterprise-mentor'],
  'students.manage': ['college-admin', 'college-staff'],
  /** see a full ID or mobile number; every reveal is audited with a reason */
  'students.reveal-pii': ['college-admin', 'college-staff'],
  'students.import': ['college-admin', 'college-staff'],
  'practice.read': ['college-admin', 'college-staff', 'college-mentor', 'enterprise-admin', 'enterprise-mentor'],
  'practice.manage': ['college-admin', 'college-staff'],
  /** students do not sign in yet: mentors and staff log hours on their behalf */
  'practice.log-hours': ['college-admin', 'college-staff', 'college-mentor', 'enterprise-mentor'],
  'practice.confirm-hours': ['enterprise-mentor'],
  'work-orders.read': ['college-admin', 'college-staff', 'college-mentor', 'enterprise-admin', 'enterprise-mentor'],
  'work-orders.issue': ['enterprise-mentor'],
  'work-orders.record': ['college-mentor', 'enterprise-mentor', 'college-staff'],
  'work-orders.accept': ['enterprise-mentor'],
  'projects.read': ['college-admin', 'college-staff', 'college-mentor', 'enterprise-admin', 'enterprise-mentor'],
  'projects.manage': ['college-admin', 'college-staff', 'college-mentor', 'enterprise-mentor'],

  // Pilot notices, applications, review, public notice, filing; evaluations; governance (issue 12)
  /** colleges see the notices addressed to them and their own applications; experts those assigned to them */
  'pilots.read': ['province-admin', 'province-expert', 'province-viewer', 'college-admin', 'college-staff'],
  /** notices, expert assignment, decisions, public notice, announcement, filing */
  'pilots.manage': ['province-admin'],
  'pilots.apply': ['college-admin', 'college-staff'],
  'pilots.review': ['province-expert'],
  'pilots.site-check': ['province-admin', 'province-expert'],
  'evaluations.read': ['province-admin', 'province-expert', 'province-viewer', 'college-admin', 'college-staff'],
  'evaluations.manage': ['province-admin'],
  /** issue 13: what reminders went out; run today's check now (idempotent by the reminders' keys) */
  'reminders.read': ['province-admin', 'college-admin', 'college-staff'],
  'reminders.run': ['college-admin'],
  'governance.read': ['province-admin', 'province-expert', 'province-viewer'],
  'governance.manage': ['province-admin'],
  // Assessments and certificates (issue 11 part A, R-EVA-3); the side and the students are checked by the service
  'assessments.read': ['college-admin', 'college-staff', 'college-mentor', 'enterprise-admin', 'enterprise-mentor'],
  /** open a cohort's sheets (items of its plan version) */
  'assessments.open': ['college-admin', 'college-staff'],
  /** college side: course, mid-term, defence; enterprise side: practice, terminal — own students only */
  'assessments.enter': ['college-admin', 'college-staff', 'college-mentor', 'enterprise-admin', 'enterprise-mentor'],
  /** reopen a submitted sheet (audited) */
  'assessments.reopen': ['college-admin'],
  'certificates.read': ['college-admin', 'college-staff', 'college-mentor'],
  'certificates.manage': ['college-admin', 'college-staff'],
  /** unverified → verified / rejected with a reason; only verified certificates count */
  'certificates.verify': ['college-admin', 'college-staff'],

  // Graduation, graduate tracking, pay benchmarks, KPIs and dashboards (issue 11 part B)
  'graduates.read': ['college-admin', 'college-staff', 'college-mentor'],
  'graduates.manage': ['college-admin', 'college-staff'],
  /** DOMAIN §5: the college completes a cohort (with a check) */
  'graduates.complete-cohort': ['college-admin', 'college-staff'],
  /** enterprise users: their own hires only */
  'employment.read': ['college-admin', 'college-staff', 'college-mentor', 'enterprise-admin'],
  'employment.record': ['college-admin', 'college-staff', 'enterprise-admin'],
  'benchmarks.read': ALL,
  'benchmarks.manage': ['province-admin'],
  'kpis.read': ['province-admin', 'province-expert', 'province-viewer', 'college-admin', 'college-staff', 'college-mentor'],
  'dashboards.college': ['province-admin', 'province-expert', 'province-viewer', 'college-admin', 'college-staff'],
  'dashboards.province': ['province-admin', 'province-expert', 'province-viewer'],
  /** a college's annual experience report (R-GOV-4); the case library is the selected ones */
  'experience-reports.read': ['province-admin', 'province-expert', 'province-viewer', 'college-admin', 'college-staff'],
  'experience-reports.submit': ['college-admin'],

  // Reports (issue 13): a college's staff for their own college; province users for any college and the province
  'reports.read': ['province-admin', 'province-expert', 'province-viewer', 'college-admin', 'college-staff'],
  'reports.request': ['province-admin', 'province-expert', 'province-viewer', 'college-admin', 'college-staff'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isAllowed(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

const PERMISSIONS_BY_ROLE = new Map<Role, readonly Permission[]>();

/** Every action a role may perform, in table order: computed once per role (GET /auth/me runs on every page load). */
export function permissionsOf(role: Role): readonly Permission[] {
  let list = PERMISSIONS_BY_ROLE.get(role);
  if (!list) {
    list = Object.freeze((Object.keys(PERMISSIONS) as Permission[]).filter((p) => isAllowed(role, p)));
    PERMISSIONS_BY_ROLE.set(role, list);
  }
  return list;
}
