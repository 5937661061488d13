import { Module } from '@nestjs/common';
import { ConfigModule } from '../config/config.module';
import { KpiJobsModule } from '../modules/kpis';
import { ReportJobsModule } from '../modules/reports';
import { NotificationJobsModule } from '../modules/notifications';
import { RemindersJobsModule } from '../modules/reminders';
import { StudentImportJobsModule } from '../modules/students';
import { DatabaseModule } from './database/database.module';
import { HttpLoggerModule } from './http/logger.module';
import { QueueModule } from './queue/queue.module';
import { QueueWorkerModule } from './queue/queue-worker.module';
import { RedisModule } from './redis/redis.module';
import { TenancyModule } from './tenancy/tenancy.module';

/**
 * The worker process: the same platform modules as the API (config, database, tenancy,
 * Redis), no HTTP. Module job processors (`<module>/jobs/`) are added here, never to
 * AppModule, so the API process builds no BullMQ workers.
 */
@Module({
  imports: [ConfigModule, HttpLoggerModule, DatabaseModule, TenancyModule, RedisModule, QueueModule, QueueWorkerModule, StudentImportJobsModule, KpiJobsModule, ReportJobsModule, NotificationJobsModule, RemindersJobsModule],
})
export class WorkerModule {}
