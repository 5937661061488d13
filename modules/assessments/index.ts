export { AssessmentsModule } from './assessments.module';
export { AssessmentsService } from './assessments.service';
export { AssessmentErrors } from './assessments.errors';
export { planItems, judge, ASSESSMENT_KINDS, SIDE_OF, KIND_ZH } from './domain/items';
export type { PlanItem, SheetKind, Scoring } from './domain/items';
export { seedEvaluationOutcome } from './seed/outcomes.seed-helper';
export type { OutcomeSeed } from './seed/outcomes.seed-helper';
