import { PlatformFoundation1764400000000 } from './1764400000000-platform-foundation';
import { ReferenceData1764400001000 } from './1764400001000-reference-data';
import { BullmqPostgresSchema1764400002000 } from './1764400002000-bullmq-postgres-schema';
import { AuditRetention1764400003000 } from './1764400003000-audit-retention';
import { IdempotencyKeys1764400004000 } from './1764400004000-idempotency-keys';
import { Attachments1764400009000 } from './1764400009000-attachments';
import { Programmes1764400010000 } from './1764400010000-programmes';
import { EnterprisesPartnerships1764400011000 } from './1764400011000-enterprises-partnerships';
import { TrainingPlans1764400012000 } from './1764400012000-training-plans';
import { StaffTeams1764400020000 } from './1764400020000-staff-teams';
import { CohortsStudents1764400021000 } from './1764400021000-cohorts-students';
import { Mentorships1764400022000 } from './1764400022000-mentorships';
import { PracticeWorkOrdersProjects1764400030000 } from './1764400030000-practice-work-orders-projects';
import { ChinaToday1764400040000 } from './1764400040000-china-today';
import { SeedKeys1764400041000 } from './1764400041000-seed-keys';
import { ImportBounds1764400050000 } from './1764400050000-import-bounds';
import { IdNumberMask1764400055000 } from './1764400055000-id-number-mask';
import { AssessmentsCertificates1764400060000 } from './1764400060000-assessments-certificates';
import { GraduatesKpis1764400065000 } from './1764400065000-graduates-kpis';
import { Pilots1764400070000 } from './1764400070000-pilots';
import { PilotExperienceReports1764400071000 } from './1764400071000-pilot-experience-reports';
import { Notifications1764500000000 } from './1764500000000-notifications';
import { ReminderDeliveries1764501000000 } from './1764501000000-reminder-deliveries';
import { Reports1764502000000 } from './1764502000000-reports';
import { KpiCohortCounts1764506000000 } from './1764506000000-kpi-cohort-counts';

/** Every migration, in order. Registered explicitly, never by glob. */
export const MIGRATIONS = [
  PlatformFoundation1764400000000,
  ReferenceData1764400001000,
  BullmqPostgresSchema1764400002000,
  AuditRetention1764400003000,
  IdempotencyKeys1764400004000,
  Attachments1764400009000,
  Programmes1764400010000,
  EnterprisesPartnerships1764400011000,
  TrainingPlans1764400012000,
  StaffTeams1764400020000,
  CohortsStudents1764400021000,
  Mentorships1764400022000,
  PracticeWorkOrdersProjects1764400030000,
  ChinaToday1764400040000,
  SeedKeys1764400041000,
  ImportBounds1764400050000,
  IdNumberMask1764400055000,
  AssessmentsCertificates1764400060000,
  GraduatesKpis1764400065000,
  Pilots1764400070000,
  PilotExperienceReports1764400071000,
  Notifications1764500000000,
  ReminderDeliveries1764501000000,
  Reports1764502000000,
  KpiCohortCounts1764506000000,
];
