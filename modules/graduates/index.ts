export { GraduatesModule } from './graduates.module';
export { GraduatesService, DEFAULT_FOLLOW_UP_MONTHS } from './graduates.service';
export { BenchmarksService } from './benchmarks.service';
export { GraduateErrors } from './graduates.errors';
export { missingForGraduation } from './domain/graduation';
export { FOLLOW_UP_OUTCOMES, OUTCOME_NAMES } from './employment-record.entity';
export type { FollowUpOutcome } from './employment-record.entity';
