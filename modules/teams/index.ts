export { TeamsModule } from './teams.module';
export { TeamComplianceService } from './teams.service';
export { assessTeam, enterpriseMentorsToAdd, ENTERPRISE_SHARE_THRESHOLD, EXPERT_THRESHOLD } from './domain/compliance';
export type { TeamCompliance, TeamCounts } from './domain/compliance';
export { TeamErrors } from './teams.errors';
export { TEAM_ROLES } from './team.entity';
export type { TeamRole } from './team.entity';
