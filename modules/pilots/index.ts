export { PilotsModule } from './pilots.module';
export { PilotErrors } from './pilots.errors';
export { MANDATORY_REVIEW_CRITERIA, PUBLICITY_WORKING_DAYS, APPLICATION_STATUSES, PROGRAMME_STAGES } from './domain/process';
export type { ApplicationStatus, ProgrammeStage } from './domain/process';
export { endOfChinaDay } from './publicity.service';
