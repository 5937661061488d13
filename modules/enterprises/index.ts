export { EnterprisesModule } from './enterprises.module';
export { EnterprisesService } from './enterprises.service';
export { EnterpriseCriteriaService } from './enterprise-criteria.service';
export type { CriterionResult } from './enterprise-criteria.service';
export { EnterpriseErrors } from './enterprises.errors';
export { checkUscc, normalizeUscc } from './uscc';
export { countsWithinWindow, minusYears } from './cooperation-window';
export { REVENUE_BANDS, REVENUE_BAND_LABELS } from './enterprise.entity';
export type { RevenueBand } from './enterprise.entity';
