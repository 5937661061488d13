import { Processor } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { JobHandlers, QUEUES, TenantJobProcessor } from '../../../src/queue';
import { TenantContext } from '../../../src/tenancy/tenant-context';
import { StudentImportService } from '../import/student-import.service';
import { StudentsCoreModule } from '../students.module';

/** Large roster imports (above IMPORT_JOB_THRESHOLD rows), one at a time per worker. */
@Processor(QUEUES.imports, { concurrency: 1 })
export class StudentImportProcessor extends TenantJobProcessor<'imports'> {
  constructor(
    tenantContext: TenantContext,
    private readonly imports: StudentImportService,
  ) {
    super(tenantContext);
  }

  protected handlers(): JobHandlers<'imports'> {
    return { 'imports.process': (payload) => this.imports.process(payload.importId).then((r) => (r ? { created: r.created, unchanged: r.unchanged, errors: r.errors.length } : null)) };
  }
}

@Module({ imports: [StudentsCoreModule], providers: [StudentImportProcessor] })
export class StudentImportJobsModule {}
