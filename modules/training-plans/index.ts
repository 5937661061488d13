export { TrainingPlansModule } from './training-plans.module';
export { TrainingPlansService } from './training-plans.service';
export type { CurrentPlanReview } from './training-plans.service';
export { TrainingPlan } from './training-plan.entity';
export { DEFAULT_CLASS_SIZE_WARNING } from './domain/plan-content';
export type { PlanContent, PlanArea } from './domain/plan-content';
