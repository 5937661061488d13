import { Module } from '@nestjs/common';
import { ConfigModule } from '../config/config.module';
import { AttachmentsModule } from '../modules/attachments';
import { AssessmentsModule } from '../modules/assessments';
import { AuditModule } from '../modules/audit';
import { CertificatesModule } from '../modules/certificates';
import { CohortsModule } from '../modules/cohorts';
import { EnterprisesModule } from '../modules/enterprises';
import { EvaluationsModule } from '../modules/evaluations';
import { GovernanceModule } from '../modules/governance';
import { GraduatesModule } from '../modules/graduates';
import { IdentityModule } from '../modules/identity';
import { KpisModule } from '../modules/kpis';
import { MentorshipsModule } from '../modules/mentorships';
import { NotificationsModule } from '../modules/notifications';
import { PartnershipsModule } from '../modules/partnerships';
import { PilotsModule } from '../modules/pilots';
import { PracticeModule } from '../modules/practice';
import { ProgrammesModule } from '../modules/programmes';
import { ProjectsModule } from '../modules/projects';
import { ReferenceDataModule } from '../modules/reference-data';
import { ReportsModule } from '../modules/reports';
import { RemindersModule } from '../modules/reminders';
import { StaffModule } from '../modules/staff';
import { StudentsModule } from '../modules/students';
import { TeamsModule } from '../modules/teams';
import { TenantsModule } from '../modules/tenants';
import { TrainingPlansModule } from '../modules/training-plans';
import { WorkOrdersModule } from '../modules/work-orders';
import { AuthModule } from './auth/auth.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health';
import { IdempotencyModule } from './http/idempotency/idempotency.module';
import { HttpLoggerModule } from './http/logger.module';
import { MetricsModule } from './metrics';
import { RateLimitModule } from './http/rate-limit';
import { QueueBoardModule, QueueModule } from './queue';
import { RedisModule } from './redis/redis.module';
import { TenancyModule } from './tenancy/tenancy.module';

/** Platform modules first, then one module per bounded context. */
@Module({
  imports: [
    ConfigModule,
    HttpLoggerModule,
    DatabaseModule,
    TenancyModule,
    RedisModule,
    QueueModule,
    AuthModule,
    RateLimitModule, // after AuthModule: its guard counts signed-in callers per user
    IdempotencyModule,
    QueueBoardModule,
    HealthModule,
    MetricsModule,
    AuditModule,
    TenantsModule,
    IdentityModule,
    ReferenceDataModule,
    ProgrammesModule,
    TrainingPlansModule,
    AttachmentsModule,
    EnterprisesModule,
    PartnershipsModule,
    StaffModule,
    TeamsModule,
    MentorshipsModule,
    CohortsModule,
    StudentsModule,
    PracticeModule,
    WorkOrdersModule,
    ProjectsModule,
    PilotsModule,
    EvaluationsModule,
    GovernanceModule,
    AssessmentsModule,
    CertificatesModule,
    GraduatesModule,
    KpisModule,
    ReportsModule,
    RemindersModule,
    NotificationsModule,
  ],
})
export class AppModule {}
