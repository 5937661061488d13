import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { AuditModule } from '../audit';
import { storageFromConfig } from '../attachments';
import { MonthlyReportService } from './monthly-report.service';
import { REPORT_STORAGE, ReportGenerator } from './report-generator.service';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/** Providers shared by the API (requests, downloads) and the worker (generation). */
@Module({
  imports: [AuditModule],
  providers: [ReportsRepository, ReportsService, ReportGenerator, MonthlyReportService, { provide: REPORT_STORAGE, inject: [AppConfig], useFactory: storageFromConfig }],
  exports: [ReportsRepository, ReportsService, ReportGenerator, MonthlyReportService, REPORT_STORAGE],
})
export class ReportsCoreModule {}

@Module({ imports: [ReportsCoreModule], controllers: [ReportsController] })
export class ReportsModule {}
