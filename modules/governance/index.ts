export { GovernanceModule } from './governance.module';
export { GovernanceErrors } from './governance.errors';
