import { ASSESSMENTS_FIXTURES } from './assessments.fixtures';
import { COHORTS_FIXTURES, STUDENTS_FIXTURES } from './cohorts.fixtures';
import { ENTERPRISES_FIXTURES } from './enterprises.fixtures';
import { GRADUATES_FIXTURES, KPIS_FIXTURES } from './graduates.fixtures';
import { MENTORSHIPS_FIXTURES } from './mentorships.fixtures';
import { EVALUATIONS_FIXTURES, GOVERNANCE_FIXTURES, PILOTS_FIXTURES } from './pilots.fixtures';
import { NOTIFICATIONS_FIXTURES } from './notifications.fixtures';
import { PLATFORM_FIXTURES } from './platform.fixtures';
import { PRACTICE_FIXTURES } from './practice.fixtures';
import { PROGRAMMES_FIXTURES } from './programmes.fixtures';
import { REFERENCE_DATA_FIXTURES } from './reference-data.fixtures';
import { REPORTS_FIXTURES } from './reports.fixtures';
import { REMINDERS_FIXTURES } from './reminders.fixtures';
import { STAFF_FIXTURES, TEAMS_FIXTURES } from './staff.fixtures';
import type { RouteFixture } from './types';

export * from './types';
export { PUBLIC_ROUTES } from './platform.fixtures';

/**
 * One successful request per route that takes a token, one file per module. The matrix
 * test fails when a route has no entry: every new route must say how it is called.
 */
export const ROUTE_FIXTURES: Record<string, RouteFixture> = {
  ...PLATFORM_FIXTURES,
  ...REFERENCE_DATA_FIXTURES,
  ...ENTERPRISES_FIXTURES,
  ...PROGRAMMES_FIXTURES,
  ...STAFF_FIXTURES,
  ...TEAMS_FIXTURES,
  ...COHORTS_FIXTURES,
  ...STUDENTS_FIXTURES,
  ...MENTORSHIPS_FIXTURES,
  ...PRACTICE_FIXTURES,
  ...PILOTS_FIXTURES,
  ...EVALUATIONS_FIXTURES,
  ...GOVERNANCE_FIXTURES,
  ...ASSESSMENTS_FIXTURES,
  ...GRADUATES_FIXTURES,
  ...KPIS_FIXTURES,
  ...REPORTS_FIXTURES,
  ...REMINDERS_FIXTURES,
  ...NOTIFICATIONS_FIXTURES,
};
