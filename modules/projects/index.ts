export { ProjectsModule } from './projects.module';
export { ProjectsService } from './projects.service';
export { ProjectErrors } from './projects.errors';
export { DEFENCE_RESULTS, MID_CHECK_RESULTS, PANEL_ROLES } from './project.entity';
export type { DefenceResult, MidCheckResult, PanelRole } from './project.entity';
