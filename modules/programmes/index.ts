export { ProgrammesModule } from './programmes.module';
export { ProgrammesService } from './programmes.service';
export { ProgrammeEligibilityService, MIN_PARTNERS, MAX_PARTNERS } from './eligibility.service';
export type { EligibilityView, CriterionView, PartnerCheckView, EligibilityRule } from './dto/eligibility.dto';
export { Programme, PRIORITY_EXPERIENCE_KINDS } from './programme.entity';
export type { PriorityExperience, PriorityExperienceKind } from './programme.entity';
export { PILOT_STATUSES, canTransition, isCollegeTransition } from './domain/pilot-status';
export type { PilotStatus } from './domain/pilot-status';
export { ProgrammeErrors } from './programmes.errors';
