import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RateLimitModule } from '../../src/http/rate-limit';
import { CounterStore } from '../../src/redis/counter-store';
import { AuditModule } from '../audit';
import { CohortsModule } from '../cohorts';
import { KpiRefreshModule } from '../kpis';
import { ApplicantsRepository } from './applicants.repository';
import { ApplicantsService } from './applicants.service';
import { ImportsRepository } from './import/imports.repository';
import { StudentImportService } from './import/student-import.service';
import { PiiCipher } from './pii-cipher';
import { StreamingService } from './streaming.service';
import { Student } from './student.entity';
import { StudentsController } from './students.controller';
import { StudentsRepository } from './students.repository';
import { StudentsService } from './students.service';

/** Largest roster file accepted (a 10,000-row .xlsx is about 0.5 MB). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

const PROVIDERS = [CounterStore, StudentsRepository, ApplicantsRepository, ImportsRepository, PiiCipher, StudentsService, ApplicantsService, StreamingService, StudentImportService];

/** Everything but HTTP: the worker's import processor uses it too. */
@Module({
  imports: [TypeOrmModule.forFeature([Student]), AuditModule, CohortsModule, KpiRefreshModule],
  providers: PROVIDERS,
  exports: [...PROVIDERS, CohortsModule],
})
export class StudentsCoreModule {}

@Module({
  imports: [StudentsCoreModule, RateLimitModule, MulterModule.register({ defParamCharset: 'utf8', limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5, parts: 6 } })],
  controllers: [StudentsController],
})
export class StudentsModule {}
